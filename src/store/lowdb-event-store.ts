import path from 'node:path';
import type { AccessRequestRecord, CampaignRef, DecisionRecord, EventRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { EventIndexes } from './event-indexes.ts';
import type { AppendResult, EventStore, StoreStats } from './event-store.ts';
import { StoreClosedError } from './event-store.ts';
import { GroupCommit } from './group-commit.ts';
import type { IndexName } from './index-keys.ts';
import { campaignTotals } from './campaign-totals.ts';
import { SegmentSet } from './segments.ts';

const DAY_MS = 86_400_000;

export interface LowdbEventStoreOptions {
  /** DATA_DIR; events go to DATA_DIR/events */
  dataDir: string;
  retentionDays: number;
}

/** The embedded event store: lowdb segment files on disk, every record and index in memory. */
export class LowdbEventStore implements EventStore {
  private readonly segments: SegmentSet;
  private indexes = new EventIndexes();
  private readonly commits = new GroupCommit<readonly EventRecord[], AppendResult>((batch) => this.writeBatch(batch));
  private state: 'new' | 'open' | 'closed' = 'new';
  private lastReceivedAt: string | undefined;

  constructor(private readonly options: LowdbEventStoreOptions) {
    this.segments = new SegmentSet(path.join(options.dataDir, 'events'));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  async open(): Promise<void> {
    await this.segments.load();
    this.rebuildIndexes();
    this.state = 'open';
  }

  append(records: readonly EventRecord[]): Promise<AppendResult> {
    if (this.state !== 'open') return Promise.reject(new StoreClosedError());
    return this.commits.submit(records);
  }

  /** one durable write for every append that queued up meanwhile */
  private async writeBatch(batch: ReadonlyArray<readonly EventRecord[]>): Promise<AppendResult[]> {
    const seen = new Set<string>();
    const results = batch.map((records) => {
      const result: AppendResult = { stored: [], duplicates: 0 };
      for (const r of records) {
        if (this.indexes.byId.has(r.id) || seen.has(r.id)) result.duplicates++;
        else {
          seen.add(r.id);
          result.stored.push(r);
        }
      }
      return result;
    });
    const fresh = results.flatMap((r) => r.stored);
    if (fresh.length === 0) return results;
    const { dirty, undo } = this.segments.place(fresh);
    try {
      await this.segments.write(dirty);
    } catch (e) {
      undo();
      throw e;
    }
    // visible to queries only once durable
    for (const r of fresh) this.indexes.add(r);
    this.lastReceivedAt = new Date().toISOString();
    return results;
  }

  private rebuildIndexes(): void {
    const indexes = new EventIndexes();
    for (const r of this.segments.records()) if (!indexes.byId.has(r.id)) indexes.add(r);
    this.indexes = indexes;
  }

  has(id: string): boolean {
    return this.indexes.byId.has(id);
  }

  get(id: string): EventRecord | undefined {
    return this.indexes.byId.get(id);
  }

  lookup(index: IndexName, key: string): readonly EventRecord[] {
    return this.indexes.lookup(index, key);
  }

  keys(index: IndexName): IterableIterator<string> {
    return this.indexes.keys(index);
  }

  between(from?: string, to?: string): EventRecord[] {
    return this.indexes.between(from, to);
  }

  decisionFor(item: string): DecisionRecord | undefined {
    let latest: DecisionRecord | undefined;
    for (const r of this.indexes.lookup('item', item)) {
      if (r.kind === 'decision' && (!latest || r.at >= latest.at)) latest = r;
    }
    return latest;
  }

  campaignTotals(campaign: CampaignRef): CampaignTotals {
    const byId = campaign.id ? this.indexes.lookup('campaign', campaign.id) : [];
    return campaignTotals(byId.length > 0 || !campaign.name ? byId : this.indexes.lookup('campaign', campaign.name));
  }

  requestEvents(requestId: string): AccessRequestRecord[] {
    return this.indexes.lookup('request', requestId).filter((r): r is AccessRequestRecord => r.kind === 'access_request');
  }

  async applyRetention(now = new Date()): Promise<number> {
    if (this.state !== 'open') throw new StoreClosedError();
    const cutoff = new Date(now.getTime() - this.options.retentionDays * DAY_MS).toISOString();
    await this.commits.idle();
    const dropped = await this.segments.dropBefore(cutoff);
    // rebuilding is simpler than unpicking every index, and about as fast
    if (dropped > 0) this.rebuildIndexes();
    return dropped;
  }

  stats(): StoreStats {
    return {
      events: this.indexes.byId.size,
      lastReceivedAt: this.lastReceivedAt,
      bytesWritten: this.segments.bytesWritten,
      segments: this.segments.count,
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await this.commits.idle();
  }
}
