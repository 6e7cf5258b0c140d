/**
 * `/oig asa [user or server] [since <7d or date>]`: ASA audit events and Okta Privileged Access (OPA) audit
 * events from the System Log (`pam.*`), all or of one user or server, newest first.
 *
 * Every matching event is in the answer: chat shows it a page at a time, `export asa …` writes all of it, so an
 * auditor gets a whole period (`export asa since 2026-10-01`), each row keyed by the id ASA or Okta gave the
 * event. Rows are formatted only when a page or the export reads them (lazyRows).
 */
import type { AsaRecord, EventRecord } from '../domain/records.ts';
import { auditOrigin, sourceEventId } from '../normalize/opa.ts';
import { emptyAnswer, lazyRows, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, when } from './describe.ts';
import { didYouMean, matchKey, type Match } from './matcher.ts';
import type { OigQuery } from './query.ts';
import { sinceIso } from './revokes.ts';

const isAsa = (r: EventRecord): r is AsaRecord => r.kind === 'asa';

export const ASA_COLUMNS = ['at', 'type', 'user', 'server', 'project', 'what', 'outcome', 'origin', 'event id'];

export function asa(q: Extract<OigQuery, { kind: 'asa' }>, deps: CommandDeps): Answer {
  const from = sinceIso(q.since, deps.now?.() ?? new Date());
  const period = q.since ? ` since ${q.since.text}` : '';
  const title = q.target ? `ASA/OPA events of “${q.target}”${period}` : `ASA/OPA events${period}`;
  const summary: string[] = [];
  const found: AsaRecord[] = [];
  const keep = (r: EventRecord): void => {
    if (isAsa(r) && (from === undefined || r.at >= from)) found.push(r);
  };
  if (q.target) {
    // users are in the principal index, servers in the resource index; only keys with ASA/OPA events count
    const hasAsa = (index: 'principal' | 'resource') => (key: string) => deps.store.lookup(index, key).some(isAsa);
    let m: Match = matchKey(deps.store, 'principal', q.target, hasAsa('principal'));
    let index: 'principal' | 'resource' = 'principal';
    if (m.kind === 'none') {
      m = matchKey(deps.store, 'resource', q.target, hasAsa('resource'));
      index = 'resource';
    }
    if (m.kind === 'none') return emptyAnswer(title, [], `No ASA/OPA user or server matches “${q.target}”.`);
    if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('user or server', q.target, m));
    if (m.how !== 'exact') summary.push(`Showing ${m.key} (closest to “${q.target}”)`);
    for (const r of deps.store.lookup(index, m.key)) keep(r);
  } else {
    for (const type of deps.store.keys('type')) {
      const list = deps.store.lookup('type', type);
      if (list[0]?.kind === 'asa') for (const r of list) keep(r);
    }
  }
  const rows = lazyRows(newestFirst(found), (r) => ({
    line: `${when(r.at)} · ${r.type} · ${r.text ?? [r.user, r.server].filter(Boolean).join(' → ')}`,
    cells: [r.at, r.type, r.user ?? '', r.server ?? '', r.project ?? '', r.text ?? '', r.outcome ?? '', auditOrigin(r), sourceEventId(r)],
  }));
  return { title, matched: rows.length, summary, columns: ASA_COLUMNS, rows };
}
