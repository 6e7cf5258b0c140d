/** `/oig requests [open]`: one line per access request, in its current state (its latest event). */
import type { AccessRequestRecord } from '../domain/records.ts';
import type { Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, what, when, who } from './describe.ts';
import type { OigQuery } from './query.ts';

const PREFIX = 'access.request.';
/** the actions after which Okta does nothing more with a request */
const FINAL = new Set(['resolve', 'reject', 'cancel', 'expire']);

export function requests(q: Extract<OigQuery, { kind: 'requests' }>, deps: CommandDeps): Answer {
  const latest = new Map<string, { first: AccessRequestRecord; last: AccessRequestRecord }>();
  for (const type of deps.store.keys('type')) {
    if (!type.startsWith(PREFIX)) continue;
    for (const r of deps.store.lookup('type', type)) {
      if (r.kind !== 'access_request' || !r.request) continue;
      const seen = latest.get(r.request);
      if (!seen) latest.set(r.request, { first: r, last: r });
      else {
        if (r.at >= seen.last.at) seen.last = r;
        if (r.at < seen.first.at) seen.first = r;
      }
    }
  }
  const list = [...latest.values()].filter((x) => !q.open || !FINAL.has(x.last.action));
  const rows = newestFirst(list.map((x) => ({ ...x, at: x.last.at }))).map(({ first, last }) => {
    const subject = last.subject ?? first.subject ?? what(last.resource ?? first.resource);
    const state = `${last.action}${last.outcome && last.outcome !== 'SUCCESS' ? ` (${last.outcome})` : ''}`;
    const forWhom = who(last.requestedFor ?? first.requestedFor);
    return {
      line: `${when(last.at)} · ${state} · ${subject}${forWhom ? ` · for ${forWhom}` : ''}`,
      cells: [last.request ?? '', state, subject, forWhom, who(first.requester), what(last.resource ?? first.resource), first.at, last.at, last.id],
    };
  });
  return {
    title: q.open ? 'Open access requests' : 'Access requests',
    matched: rows.length,
    summary: [],
    // event id: the Okta uuid of the event that set the current state
    columns: ['request', 'state', 'subject', 'requested for', 'requester', 'resource', 'created', 'updated', 'event id'],
    rows,
  };
}
