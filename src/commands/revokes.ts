/** `/oig revokes [campaign <name>] [since <7d|date>]`: REVOKE decisions, newest first, each with its Okta event uuid. */
import type { DecisionRecord, EventRecord } from '../domain/records.ts';
import { emptyAnswer, lazyRows, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, what, when, who } from './describe.ts';
import { didYouMean, matchKey } from './matcher.ts';
import type { OigQuery, Since } from './query.ts';

const DECIDE = 'certification.campaign.item.decide';

export function sinceIso(since: Since | undefined, now: Date): string | undefined {
  if (!since) return undefined;
  return since.kind === 'date' ? since.iso : new Date(now.getTime() - since.ms).toISOString();
}

export function revokes(q: Extract<OigQuery, { kind: 'revokes' }>, deps: CommandDeps): Answer {
  const from = sinceIso(q.since, deps.now?.() ?? new Date());
  const scope = [q.campaign ? `campaign “${q.campaign}”` : '', q.since ? `since ${q.since.text}` : ''].filter(Boolean).join(', ');
  const title = `REVOKE decisions${scope ? ` (${scope})` : ''}`;
  let source: readonly EventRecord[];
  const summary: string[] = [];
  if (q.campaign) {
    const m = matchKey(deps.store, 'campaign', q.campaign);
    if (m.kind === 'none') return emptyAnswer(title, [], `No campaign matches “${q.campaign}”.`);
    if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('campaign', q.campaign, m));
    if (m.how !== 'exact') summary.push(`Campaign: ${m.key}`);
    source = deps.store.lookup('campaign', m.key);
  } else {
    source = deps.store.lookup('type', DECIDE);
  }
  const found: DecisionRecord[] = [];
  for (const r of source) {
    if (r.kind === 'decision' && r.decision === 'REVOKE' && (!from || r.at >= from)) found.push(r);
  }
  const rows = lazyRows(newestFirst(found), (r) => ({
    line: `${when(r.at)} · ${who(r.principal)} · ${what(r.resource)} · ${r.campaign.name ?? r.campaign.id ?? ''}${r.reviewer ? ` · by ${who(r.reviewer)}` : ''}`,
    cells: [r.at, who(r.principal), r.principal.login ?? '', what(r.resource), r.campaign.name ?? r.campaign.id ?? '', who(r.reviewer), r.notes ?? '', r.item ?? '', r.id],
  }));
  return {
    title,
    matched: rows.length,
    summary,
    columns: ['at', 'principal', 'login', 'resource', 'campaign', 'reviewer', 'notes', 'item', 'event id'],
    rows,
  };
}
