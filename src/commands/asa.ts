/** `/oig asa [user or server]`: recent ASA audit events, all or of one user or server. */
import type { AsaRecord, EventRecord } from '../domain/records.ts';
import { emptyAnswer, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, when } from './describe.ts';
import { didYouMean, matchKey, type Match } from './matcher.ts';
import type { OigQuery } from './query.ts';

/** a chat answer about "recent" events: the newest this many (export gets the same) */
export const ASA_RECENT = 1000;

const isAsa = (r: EventRecord): r is AsaRecord => r.kind === 'asa';

export function asa(q: Extract<OigQuery, { kind: 'asa' }>, deps: CommandDeps): Answer {
  const title = q.target ? `ASA events of “${q.target}”` : 'Recent ASA events';
  let found: AsaRecord[] = [];
  if (q.target) {
    // ASA users are in the principal index, servers in the resource index; only keys with ASA events count
    const hasAsa = (index: 'principal' | 'resource') => (key: string) => deps.store.lookup(index, key).some(isAsa);
    let m: Match = matchKey(deps.store, 'principal', q.target, hasAsa('principal'));
    let index: 'principal' | 'resource' = 'principal';
    if (m.kind === 'none') {
      m = matchKey(deps.store, 'resource', q.target, hasAsa('resource'));
      index = 'resource';
    }
    if (m.kind === 'none') return emptyAnswer(title, [], `No ASA user or server matches “${q.target}”.`);
    if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('user or server', q.target, m));
    found = deps.store.lookup(index, m.key).filter(isAsa);
  } else {
    for (const type of deps.store.keys('type')) {
      const list = deps.store.lookup('type', type);
      if (list[0]?.kind === 'asa') for (const r of list) if (isAsa(r)) found.push(r);
    }
  }
  const total = found.length;
  const rows = newestFirst(found).slice(0, ASA_RECENT).map((r) => ({
    line: `${when(r.at)} · ${r.type} · ${r.text ?? [r.user, r.server].filter(Boolean).join(' → ')}`,
    cells: [r.at, r.type, r.user ?? '', r.server ?? '', r.project ?? '', r.text ?? '', r.outcome ?? ''],
  }));
  return {
    title,
    matched: total,
    summary: total > rows.length ? [`The newest ${rows.length} are listed.`] : [],
    columns: ['at', 'type', 'user', 'server', 'project', 'what', 'outcome'],
    rows,
  };
}
