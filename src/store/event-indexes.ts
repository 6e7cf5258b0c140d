import type { EventRecord } from '../domain/records.ts';
import type { CampaignRef, DecisionRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { CampaignTally } from './campaign-tally.ts';
import { indexKeys, normalizeKey, type IndexName } from './index-keys.ts';
import { byTime, inTimeOrder, lowerBound } from './time-order.ts';

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
  private readonly tally = new CampaignTally();
  private readonly maps: Record<IndexName, Map<string, EventRecord[]>> = {
    item: new Map(),
    principal: new Map(),
    resource: new Map(),
    campaign: new Map(),
    request: new Map(),
    type: new Map(),
  };

  /**
   * Adds the records whose id is not indexed yet (the first of equal ids wins). The timeline stays sorted,
   * cheaply even when a batch is out of order.
   */
  addAll(batch: readonly EventRecord[]): void {
    const records: EventRecord[] = [];
    for (const r of batch) {
      if (this.byId.has(r.id)) continue;
      this.byId.set(r.id, r);
      records.push(r);
    }
    const timeline = this.timeline;
    const inOrder = records.length > 0 && (timeline.length === 0 || timeline[timeline.length - 1]!.at <= records[0]!.at) && inTimeOrder(records);
    for (const r of records) this.addToMaps(r);
    if (inOrder) {
      for (const r of records) timeline.push(r);
    } else if (records.length < 64) {
      for (const r of records) insertByTime(timeline, r);
    } else {
      // one stable sort instead of a splice per record (a backfill of old events, a reload)
      for (const r of records) timeline.push(r);
      timeline.sort(byTime);
    }
  }

  /** addLoaded put records on the timeline out of time order: finishLoad sorts it once */
  private unsorted = false;

  /**
   * Adds records during a background load, a segment at a time (open-stored-events.ts): like addAll, but
   * the timeline only gets them at its end and is sorted once by finishLoad if they came out of order,
   * instead of once per segment. Until then `between` may answer out of order; nothing asks it meanwhile.
   */
  addLoaded(batch: readonly EventRecord[]): void {
    const timeline = this.timeline;
    for (const r of batch) {
      if (this.byId.has(r.id)) continue;
      this.byId.set(r.id, r);
      this.addToMaps(r);
      if (timeline.length > 0 && timeline[timeline.length - 1]!.at > r.at) this.unsorted = true;
      timeline.push(r);
    }
  }

  /** ends a load made with addLoaded: one stable sort when anything came out of time order */
  finishLoad(): void {
    if (this.unsorted) this.timeline.sort(byTime);
    this.unsorted = false;
  }

  /** the newest decision on a campaign item (routing: a late, older decision must not overwrite a newer card) */
  decisionFor(item: string): DecisionRecord | undefined {
    let latest: DecisionRecord | undefined;
    for (const r of this.lookup('item', item)) {
      if (r.kind === 'decision' && (!latest || r.at >= latest.at)) latest = r;
    }
    return latest;
  }

  /**
   * Normalized keys of pooled strings, remembered: the same few thousand names and logins recur across a
   * million records, and a pooled string's hash is already cached, so this lookup is cheaper than
   * lower-casing (a new string to allocate and hash) every time — a fifth of the 1M load was index keys.
   */
  private readonly normalized = new Map<string, string>();
  private readonly norm = (s: string): string => {
    let n = this.normalized.get(s);
    if (n === undefined) this.normalized.set(s, (n = normalizeKey(s)));
    return n;
  };
  /** the record addKey files (one bound sink instead of a closure per record) */
  private adding: EventRecord | undefined;
  private readonly addKey = (name: IndexName, key: string): void => {
    const r = this.adding!;
    const map = this.maps[name];
    const list = map.get(key);
    // a record is listed once per key even when two of its fields give the same key
    if (!list) map.set(key, [r]);
    else if (list[list.length - 1] !== r) list.push(r);
  };

  private addToMaps(r: EventRecord): void {
    this.adding = r;
    indexKeys(r, this.addKey, this.norm);
    this.adding = undefined;
    if (r.kind === 'decision' || r.kind === 'remediation') this.tally.add(r, (r.item && this.maps.item.get(r.item)) || [r]);
  }

  /** totals of a campaign (by id, else by name), kept current as records are added */
  campaignTotals(campaign: CampaignRef): CampaignTotals {
    return this.tally.get(campaign, (key) => this.lookup('campaign', key));
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
