/**
 * Records by time (`at`, ISO 8601 UTC, so string order is time order): the store's timeline and the `/oig`
 * answers that read a period from a type or key list share these.
 */
import type { EventRecord } from '../domain/records.ts';

export const byTime = (a: EventRecord, b: EventRecord): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** true when the list is oldest first (index lists nearly always are: records are indexed as they arrive) */
export function inTimeOrder(list: readonly EventRecord[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.at > list[i]!.at) return false;
  return true;
}

/** the first index of a time-ordered list whose record is at or after `at` */
export function lowerBound(list: readonly EventRecord[], at: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
