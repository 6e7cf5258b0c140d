/**
 * History is stored, not shouted (issue 11). An event that was already old when it reached the bot — the
 * ASA poller's first run reads 90 days back, a catch-up after an outage, a System Log backfill covering
 * days — is stored and answerable by /oig like any other, but routing folds it into one "caught up"
 * summary card per source instead of posting it (src/delivery/catch-up.ts).
 *
 * Why one hour: the ASA poller runs every 5 minutes and the System Log backfill fills gaps of minutes, so
 * anything they find in normal operation is minutes old and still worth a card; an hour-old event is news
 * nobody can act on faster than with /oig, and a first poll brings thousands of them. Okta's event hook
 * delivers within seconds (a retry within minutes), so hook deliveries are never history; nor is the demo,
 * which replays samples on purpose.
 *
 * The mark is kept on the record (`late`), so routing decides the same way after a restart, however long
 * the bot was down in between: age is measured when the event arrived, not when it is routed.
 */
import type { EventRecord, Source } from '../domain/records.ts';

export const HISTORY_AGE_MS = 60 * 60_000;

/** sources whose events can arrive long after they happened */
const CATCHING_UP: ReadonlySet<Source> = new Set(['asa', 'system_log']);

/** marks the records that were older than HISTORY_AGE_MS on arrival; returns how many */
export function markHistory(records: readonly EventRecord[], source: Source, now = Date.now()): number {
  if (!CATCHING_UP.has(source)) return 0;
  let marked = 0;
  for (const r of records) {
    const at = Date.parse(r.at);
    if (Number.isFinite(at) && now - at > HISTORY_AGE_MS) {
      r.late = true;
      marked += 1;
    }
  }
  return marked;
}
