/** `/oig stats`: counts per family, the last event received, the last poll of each poller, delivery state. */
import type { Answer, AnswerRow } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { age, when } from './describe.ts';
import { loadingLine } from './loading.ts';

export function stats(deps: CommandDeps): Answer {
  const { store } = deps;
  // counted from the type index (a few hundred keys), not by walking a million records
  const families = new Map<string, number>();
  for (const type of store.keys('type')) {
    const list = store.lookup('type', type);
    const family = list[0]?.family ?? 'other';
    families.set(family, (families.get(family) ?? 0) + list.length);
  }
  const s = store.stats();
  const rows: AnswerRow[] = [...families.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([family, n]) => ({ line: `${family}: ${n}`, cells: ['events', family, String(n)] }));
  const add = (section: string, name: string, value: string): void => {
    rows.push({ line: `${name}: ${value}`, cells: [section, name, value] });
  };
  const pollers = deps.stats?.pollers?.() ?? [];
  for (const p of pollers) {
    add('poller', p.name, `${p.lastRunAt ? `last run ${when(p.lastRunAt)}` : 'not run yet'}${p.result ? ` (${p.result})` : ''}${p.nextRunAt ? `, next ${when(p.nextRunAt)}` : ''}`);
  }
  // "revoked but still used": counters the index keeps current (src/correlate), nothing scanned here
  const used = deps.stillUsed?.totals();
  if (used) {
    add('still used', 'revokes watched', String(used.watched));
    add('still used', 'revokes no ASA name can match', `${used.noAsaName} (no Okta login known and no ASA_USER_MAP entry)`);
    add('still used', 'revokes used after', String(used.revokesUsed));
    add('still used', 'uses after a revoke', `${used.uses} (${used.strong} strong, ${used.uses - used.strong} by name only; ${used.history} from history)`);
    if (used.lastUseAt) add('still used', 'last use', when(used.lastUseAt));
  }
  const delivery = deps.stats?.delivery?.();
  // how long the oldest card has waited: a channel the chat refuses keeps its cards, and this is how long
  const waited = delivery?.oldestQueuedAt ? `, oldest queued ${when(delivery.oldestQueuedAt)} (${age(delivery.oldestQueuedAt, deps.now?.() ?? new Date())} ago)` : '';
  if (delivery) {
    add('delivery', 'outbox', `${delivery.outbox} waiting${waited}`);
    for (const e of delivery.errors) add('delivery', 'error', e);
  }
  // what must not go unnoticed comes first: a store that cannot write, events not routed yet
  const health = store.health();
  const unrouted = deps.stats?.unrouted?.() ?? 0;
  const loading = store.loadProgress?.();
  const warnings = [
    // a fast start: the counts above are of what is loaded so far
    ...(loading ? [`Loading: ${loadingLine(loading)}; the other answers wait for it`] : []),
    ...(health.ok ? [] : [`Store: ${health.problem ?? 'cannot write'}`]),
    ...(unrouted > 0 ? [`Routing: ${unrouted} stored event(s) not yet turned into cards and tasks`] : []),
  ];
  for (const w of warnings) add('health', w.slice(0, w.indexOf(':')).toLowerCase(), w.slice(w.indexOf(':') + 2));
  return {
    title: 'Bot status',
    ...(warnings.length > 0 ? { notice: warnings.join(' · ') } : {}),
    matched: s.events,
    unit: 'stored events',
    summary: [
      `Stored events: ${s.events}`,
      `Last event received: ${s.lastReceivedAt ? when(s.lastReceivedAt) : 'none yet'}`,
      pollers.length ? `Pollers: ${pollers.length}` : 'Pollers: none configured',
      ...(used ? [`Revoked but still used: ${used.revokesUsed} revoke(s), ${used.uses} use(s) after the revoke (${used.strong} strong)${noAsaNameText(used.noAsaName)}`] : []),
      delivery ? `Outbox: ${delivery.outbox} waiting, ${delivery.errors.length} delivery problem(s)${waited}` : 'Delivery: no status available',
    ],
    columns: ['section', 'name', 'value'],
    rows,
  };
}

/** the earliest of several queue times (ISO 8601), as the optional `oldestQueuedAt` of a DeliveryLine */
export function oldestOf(times: ReadonlyArray<string | undefined>): { oldestQueuedAt?: string } {
  const oldest = times.filter((t): t is string => t !== undefined).sort()[0];
  return oldest ? { oldestQueuedAt: oldest } : {};
}

/** said when some watched revokes cannot be matched to ASA users by name: Okta's event named no login */
function noAsaNameText(n: number): string {
  return n > 0 ? `; ${n} watched revoke(s) name no Okta login, so ASA users are not matched to them by name: set ASA_USER_MAP (okta-id=asa-name)` : '';
}
