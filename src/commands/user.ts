/**
 * `/oig user <name, login or id>`: that person's timeline across decisions, remediations, requests, reviews
 * and ASA, with "revoked but still used" flags (src/correlate): a summary line per revoke used after it,
 * and the uses in the timeline marked (ASA/OPA events name the ASA user, so they join the Okta person's
 * timeline through the match).
 */
import type { AnswerRow, Answer } from './answer.ts';
import { emptyAnswer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, summarize, what, when } from './describe.ts';
import { didYouMean, matchKey } from './matcher.ts';
import type { OigQuery } from './query.ts';
import type { RevokeWatch, StillUsedUse } from '../correlate/still-used-watch.ts';
import type { EventRecord } from '../domain/records.ts';

const TIMELINE = new Set(['decision', 'remediation', 'access_request', 'access_review', 'asa']);
/** revokes summarised above the rows at most (each is a line on every page) */
const MAX_SUMMARY = 5;

export function user(q: Extract<OigQuery, { kind: 'user' }>, deps: CommandDeps): Answer {
  const m = matchKey(deps.store, 'principal', q.name);
  const title = `Timeline of “${q.name}”`;
  if (m.kind === 'none') return emptyAnswer(title, [], `Nobody matches “${q.name}”.`);
  if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('person', q.name, m));
  const records = newestFirst(deps.store.lookup('principal', m.key).filter((r) => TIMELINE.has(r.kind)));
  const watches = deps.stillUsed?.forPerson(m.key) ?? [];
  const flagged = new Map<string, { watch: RevokeWatch; use: StillUsedUse }>();
  for (const watch of watches) for (const use of watch.recent) if (!flagged.has(use.record.id)) flagged.set(use.record.id, { watch, use });
  let rows = records.map((r) => recordRow(r, flagged.get(r.id)));
  if (flagged.size > 0) {
    // uses found through the match, not under this key: added to the timeline in time order
    const shown = new Set(records.map((r) => r.id));
    const extra = [...flagged.values()].filter((f) => !shown.has(f.use.record.id)).map((f) => ({ at: f.use.record.at, row: recordRow(f.use.record, f) }));
    if (extra.length > 0) {
      const all = [...records.map((r, i) => ({ at: r.at, row: rows[i]! })), ...extra];
      rows = all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((e) => e.row);
    }
  }
  const summary = m.how === 'exact' ? [] : [`Showing ${m.key} (closest to “${q.name}”)`];
  summary.push(...watches.slice(0, MAX_SUMMARY).map(watchLine));
  if (watches.length > MAX_SUMMARY) summary.push(`… and ${watches.length - MAX_SUMMARY} more revoke(s) used after the decision`);
  return {
    title: `Timeline of ${m.key}`,
    matched: rows.length,
    summary,
    columns: ['at', 'kind', 'type', 'outcome', 'what', 'event id'],
    rows,
  };
}

function recordRow(r: EventRecord, flag: { watch: RevokeWatch; use: StillUsedUse } | undefined): AnswerRow {
  const text = flag ? `⚠ still used after the revoke of ${what(flag.watch.decision.resource)} (${strength(flag.use)}): ${summarize(r)}` : summarize(r);
  return { line: `${when(r.at)} · ${text}`, cells: [r.at, flag ? 'still_used' : r.kind, r.type, r.outcome ?? '', text, r.id] };
}

const strength = (u: StillUsedUse): string => (u.evidence !== undefined ? 'strong' : 'by name only');

/** "⚠ Revoked but still used: Finance Admins, revoked 2026-11-20 09:30 UTC — 3 uses, last … web-01, strong" */
function watchLine(w: RevokeWatch): string {
  const last = w.last!;
  const where = last.record.server ?? last.record.project;
  return `⚠ Revoked but still used: ${what(w.decision.resource)}, revoked ${when(w.decision.at)} — ${w.uses} use(s) of ASA/OPA since (${w.strong} strong), last ${when(last.record.at)}: ${last.kind}${where ? ` on ${where}` : ''}; match ${w.best?.evidence !== undefined ? `strong (${w.best.evidence})` : 'by name only'}`;
}
