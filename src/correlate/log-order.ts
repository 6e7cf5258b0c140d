/**
 * Log order for folds over the event log (the still-used index is rebuilt from it at start): by log
 * position (`EventRecord.seq`); records from before log positions existed (no seq) first, by time.
 */
import type { EventRecord } from '../domain/records.ts';

export const pos = (r: EventRecord): number => r.seq ?? 0;

export function logOrder(a: EventRecord, b: EventRecord): number {
  return pos(a) - pos(b) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
}

/**
 * The records of a few type lists in log order. Each list is nearly always in log order already (records
 * are indexed as they are committed), so they are merged; a list that is not is sorted first.
 */
export function* inLogOrder(lists: ReadonlyArray<readonly EventRecord[]>): Generator<EventRecord> {
  const sorted = lists.map((l) => (isInLogOrder(l) ? l : [...l].sort(logOrder)));
  const at = sorted.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]![at[i]!];
      if (r !== undefined && (best < 0 || logOrder(r, sorted[best]![at[best]!]!) < 0)) best = i;
    }
    if (best < 0) return;
    yield sorted[best]![at[best]!++]!;
  }
}

function isInLogOrder(list: readonly EventRecord[]): boolean {
  for (let i = 1; i < list.length; i++) if (logOrder(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

