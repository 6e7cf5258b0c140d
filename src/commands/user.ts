/** `/oig user <name, login or id>`: that person's timeline across decisions, remediations, requests, reviews and ASA. */
import { emptyAnswer, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, summarize, when } from './describe.ts';
import { didYouMean, matchKey } from './matcher.ts';
import type { OigQuery } from './query.ts';

const TIMELINE = new Set(['decision', 'remediation', 'access_request', 'access_review', 'asa']);

export function user(q: Extract<OigQuery, { kind: 'user' }>, deps: CommandDeps): Answer {
  const m = matchKey(deps.store, 'principal', q.name);
  const title = `Timeline of “${q.name}”`;
  if (m.kind === 'none') return emptyAnswer(title, [], `Nobody matches “${q.name}”.`);
  if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('person', q.name, m));
  const records = newestFirst(deps.store.lookup('principal', m.key).filter((r) => TIMELINE.has(r.kind)));
  const rows = records.map((r) => ({
    line: `${when(r.at)} · ${summarize(r)}`,
    cells: [r.at, r.kind, r.type, r.outcome ?? '', summarize(r), r.id],
  }));
  return {
    title: `Timeline of ${m.key}`,
    matched: rows.length,
    summary: m.how === 'exact' ? [] : [`Showing ${m.key} (closest to “${q.name}”)`],
    columns: ['at', 'kind', 'type', 'outcome', 'what', 'event id'],
    rows,
  };
}
