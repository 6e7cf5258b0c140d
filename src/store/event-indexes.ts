import type { EventRecord } from '../domain/records.ts';
import { indexKeys, normalizeKey, type IndexName } from './index-keys.ts';

const EMPTY: readonly EventRecord[] = Object.freeze([]);

/**
 * The in-memory indexes over every stored record, rebuilt at load (SPEC §7). Lists keep the order in
 * which records were added; `timeline` is kept sorted by event time (`at`) because Okta delivers out of
 * order and backfill adds old events late.
 */
export class EventIndexes {
  readonly byId = new Map<string, EventRecord>();
  /** every record, oldest `at` first */
  readonly timeline: EventRecord[] = [];
  private readonly maps: Record<IndexName, Map<string, EventRecord[]>> = {
    item: new Map(),
    principal: new Map(),
    resource: new Map(),
    campaign: new Map(),
    request: new Map(),
    type: new Map(),
  };

  add(r: EventRecord): void {
    this.byId.set(r.id, r);
    insertByTime(this.timeline, r);
    indexKeys(r, (name, key) => {
      const map = this.maps[name];
      const list = map.get(key);
      // a record is listed once per key even when two of its fields give the same key
      if (!list) map.set(key, [r]);
      else if (list[list.length - 1] !== r) list.push(r);
    });
  }

  lookup(index: IndexName, key: string): readonly EventRecord[] {
    const k = index === 'item' || index === 'request' || index === 'type' ? key : normalizeKey(key);
    return this.maps[index].get(k) ?? EMPTY;
  }

  /** every key of an index (for forgiving, prefix / contains matching by the command engine) */
  keys(index: IndexName): IterableIterator<string> {
    return this.maps[index].keys();
  }

  /** records with from <= at < to (ISO strings), oldest first */
  between(from?: string, to?: string): EventRecord[] {
    const start = from ? lowerBound(this.timeline, from) : 0;
    const end = to ? lowerBound(this.timeline, to) : this.timeline.length;
    return this.timeline.slice(start, end);
  }
}

/** first index whose record's `at` is >= at */
function lowerBound(list: readonly EventRecord[], at: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertByTime(list: EventRecord[], r: EventRecord): void {
  // the common case, events arriving in time order, is a plain push
  if (list.length === 0 || list[list.length - 1]!.at <= r.at) {
    list.push(r);
    return;
  }
  const i = lowerBound(list, r.at);
  // keep arrival order among equal timestamps
  let j = i;
  while (j < list.length && list[j]!.at === r.at) j++;
  list.splice(j, 0, r);
}
