/** `/oig stats`: counts per family, the last event received, the last poll of each poller, delivery state. */
import type { Answer, AnswerRow } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { when } from './describe.ts';

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
  const delivery = deps.stats?.delivery?.();
  if (delivery) {
    add('delivery', 'outbox', `${delivery.outbox} waiting`);
    for (const e of delivery.errors) add('delivery', 'error', e);
  }
  return {
    title: 'Bot status',
    matched: s.events,
    unit: 'stored events',
    summary: [
      `Stored events: ${s.events}`,
      `Last event received: ${s.lastReceivedAt ? when(s.lastReceivedAt) : 'none yet'}`,
      pollers.length ? `Pollers: ${pollers.length}` : 'Pollers: none configured',
      delivery ? `Outbox: ${delivery.outbox} waiting, ${delivery.errors.length} delivery problem(s)` : 'Delivery: no status available',
    ],
    columns: ['section', 'name', 'value'],
    rows,
  };
}
