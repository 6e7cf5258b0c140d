import path from 'node:path';
import type { AccessRequestRecord, CampaignRef, DecisionRecord, EventRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import type { BackgroundLoad } from './background-load.ts';
import { Checkpoints } from './checkpoints.ts';
import { EventIndexes } from './event-indexes.ts';
import { StoreClosedError, type AppendResult, type EventStore, type LoadProgress, type StoreHealth, type StoreStats } from './event-store.ts';
import { GroupCommit } from './group-commit.ts';
import type { IndexName } from './index-keys.ts';
import { LogFiles } from './log-files.ts';
import { indexSegments, loadRecords, openStoredEvents, StoreLoadError } from './open-stored-events.ts';
import { SegmentSet } from './segments.ts';
import { StringPool } from './string-pool.ts';
import { withPositionSlot, writePositionFloor } from './log-position.ts';
import { WriteHealth, type WriteKind } from './write-health.ts';
import { commitLine } from './write-ahead-log.ts';

const DAY_MS = 86_400_000;

/** one append call: its records, and their JSON when the caller already has it */
interface Submission {
  records: readonly EventRecord[];
  json?: string;
}

export interface LowdbEventStoreOptions {
  /** DATA_DIR; events go to DATA_DIR/events */
  dataDir: string;
  retentionDays: number;
  /** default 1000 ms */
  checkpointMs?: number;
  /** told about failures of background checkpoints (the data stays safe in the log; the disk needs a look) */
  onBackgroundError?: (err: unknown) => void;
  /** told about every failed write (a metric): a commit refused, a checkpoint that could not write */
  onWriteFailure?: (kind: WriteKind) => void;
  /** told, at open, about a log file with unreadable lines that are not a torn last commit (set aside, kept) */
  onDamagedLog?: (damage: { file: string; lines: number[]; keptAs: string }) => void;
  /** told, at open, why the id snapshot could not be used (the store then loads everything before appending) */
  onSnapshotUnusable?: (why: string) => void;
  /** segment files from which records load after open() (default 64); 0: always in the background */
  backgroundLoadFrom?: number;
}

/**
 * The embedded event store: every record and index in memory; on disk, lowdb segment files
 * (segments.ts) kept current by checkpoints (checkpoints.ts), and a write-ahead log (log-files.ts) that
 * makes each commit durable with one append in between. How it opens: open-stored-events.ts.
 */
export class LowdbEventStore implements EventStore {
  private readonly segments: SegmentSet;
  private readonly logs: LogFiles;
  private readonly checkpoints: Checkpoints;
  private indexes = new EventIndexes();
  private readonly strings = new StringPool();
  private readonly commits = new GroupCommit<Submission, AppendResult>((batch) => this.writeBatch(batch));
  private state: 'new' | 'open' | 'closed' = 'new';
  private lastReceivedAt: string | undefined;
  private commitCount = 0;
  /** the log position of the newest committed record */
  private position = 0;
  private readonly writes: WriteHealth;
  /** while records load after open() (fast start): what is known meanwhile */
  private load: BackgroundLoad | undefined;
  private loadError: StoreLoadError | undefined;
  private loaded: Promise<void> = Promise.resolve();

  constructor(private readonly options: LowdbEventStoreOptions) {
    this.segments = new SegmentSet(path.join(options.dataDir, 'events'));
    this.logs = new LogFiles(path.join(options.dataDir, 'wal'), options.onDamagedLog);
    this.writes = new WriteHealth(options.onWriteFailure);
    const files = { dataDir: options.dataDir, segments: this.segments, logs: this.logs };
    const state = { lastSeq: () => this.position, loading: () => this.load !== undefined, loadFailed: () => this.loadError !== undefined };
    this.checkpoints = new Checkpoints({ ...files, commits: this.commits, writes: this.writes, ...state });
  }

  loadProgress(): LoadProgress | undefined {
    const load = this.load;
    // of every stored record, those committed during the load too (they are indexed last)
    return load && { loaded: Math.min(load.loaded, load.known.size), total: load.known.size };
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * Opens for appends. A big store with a usable id snapshot resolves once it knows every stored id and
   * the last log position (open-stored-events.ts); its records load afterwards (`whenLoaded`). Otherwise
   * everything is loaded first, as before.
   */
  async open(): Promise<void> {
    const opened = await openStoredEvents({ dataDir: this.options.dataDir, segments: this.segments, logs: this.logs, strings: this.strings }, this.options);
    this.indexes = opened.indexes;
    this.load = opened.load;
    this.checkpoints.opened(opened.sinceSnapshot);
    this.position = opened.position;
    await this.logs.start(opened.logs);
    this.state = 'open';
    if (!this.load) {
      try {
        await this.checkpoint();
      } catch (e) {
        this.state = 'closed';
        await this.logs.close();
        throw e;
      }
    }
    this.checkpoints.start(this.options.checkpointMs, this.options.onBackgroundError);
    if (this.load) {
      this.loaded = this.loadInBackground(this.load);
      // a failed load must not end the process as an unhandled rejection: whenLoaded() callers see it,
      // health() reports it and appends are refused
      this.loaded.catch(() => undefined);
    } else if (opened.snapshotNow) {
      // a big store without a usable snapshot: write one now, so the next start is a fast one
      void this.checkpoints.snapshot().catch((e: unknown) => this.options.onBackgroundError?.(e));
    }
  }

  /** the records, a segment at a time (open-stored-events.ts); then the checkpoint and snapshot it held back */
  private async loadInBackground(load: BackgroundLoad): Promise<void> {
    try {
      // `this.load` is cleared between two commits: the next one is indexed, not kept for the load
      await loadRecords(load, { segments: this.segments, strings: this.strings, indexes: this.indexes, commits: this.commits }, () => (this.load = undefined));
    } catch (e) {
      this.loadError = new StoreLoadError(e);
      throw this.loadError;
    }
    if (this.load) return;
    // the log files the load kept are covered by segments once this checkpoint has written them
    await this.checkpoint().catch((e: unknown) => this.options.onBackgroundError?.(e));
    if (this.checkpoints.snapshotBehind) await this.checkpoints.snapshot().catch((e: unknown) => this.options.onBackgroundError?.(e));
  }

  append(records: readonly EventRecord[], json?: string): Promise<AppendResult> {
    if (this.loadError) return Promise.reject(this.loadError);
    if (this.state !== 'open') return Promise.reject(new StoreClosedError());
    return this.commits.submit({ records, json });
  }

  /** one durable write for every append that queued up meanwhile */
  private async writeBatch(batch: readonly Submission[]): Promise<AppendResult[]> {
    const seen = new Set<string>();
    const lines: string[] = [];
    const first = this.position + 1;
    let next = first;
    const results = batch.map(({ records, json }) => {
      const result: AppendResult = { stored: [], duplicates: 0 };
      for (const r of records) {
        if (this.has(r.id) || seen.has(r.id)) result.duplicates++;
        else {
          seen.add(r.id);
          result.stored.push(withPositionSlot(r));
        }
      }
      if (result.stored.length > 0) {
        // the caller's JSON is used as is when all its records are new; otherwise only the new ones are written
        const recordsJson = json !== undefined && result.duplicates === 0 ? json : JSON.stringify(result.stored);
        lines.push(commitLine(next, recordsJson));
        next += result.stored.length;
      }
      return result;
    });
    const fresh = results.flatMap((r) => r.stored);
    if (fresh.length === 0) return results;
    for (const r of fresh) this.strings.pool(r);
    // while loading, segments are not all read: the records wait in the log and `load.pending`
    const load = this.load;
    const undo = load ? () => {} : this.segments.place(fresh);
    try {
      await this.logs.append(lines);
      this.commitCount++;
    } catch (e) {
      undo();
      // a line that may be whole in a file that could not be cut back keeps its positions: never reuse them
      if (this.logs.broken) this.position = next - 1;
      this.writes.failed('commit', e);
      throw e;
    }
    // positions and visibility only once durable (a refused commit leaves no gap behind it)
    fresh.forEach((r, i) => (r.seq = first + i));
    this.position = first + fresh.length - 1;
    if (load) load.committed(fresh);
    else this.indexes.addAll(fresh);
    this.checkpoints.changed(fresh.length);
    this.lastReceivedAt = new Date().toISOString();
    this.writes.succeeded('commit');
    return results;
  }

  /** brings the segment files up to date and deletes the log files they now cover (checkpoints.ts) */
  checkpoint(): Promise<void> {
    return this.checkpoints.checkpoint();
  }

  /** false while commits or checkpoints fail (write-health.ts), or when the stored records could not be loaded */
  health(): StoreHealth {
    if (this.loadError) return { ok: false, problem: this.loadError.message };
    return this.writes.report(this.state === 'open');
  }

  get lastSeq(): number {
    return this.position;
  }

  recordsAfter(seq: number): EventRecord[] {
    const out: EventRecord[] = [];
    for (const r of this.indexes.byId.values()) if (r.seq !== undefined && r.seq > seq) out.push(r);
    return out.sort((a, b) => a.seq! - b.seq!);
  }

  has(id: string): boolean {
    return this.load ? this.load.known.has(id) : this.indexes.byId.has(id);
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
    return this.indexes.decisionFor(item);
  }

  campaignTotals(campaign: CampaignRef): CampaignTotals {
    return this.indexes.campaignTotals(campaign);
  }

  requestEvents(requestId: string): AccessRequestRecord[] {
    return this.indexes.lookup('request', requestId).filter((r): r is AccessRequestRecord => r.kind === 'access_request');
  }

  async applyRetention(now = new Date()): Promise<number> {
    // dropping needs every segment read (and the records indexed, to rebuild the indexes without them)
    await this.whenLoaded();
    if (this.state !== 'open') throw new StoreClosedError();
    const cutoff = new Date(now.getTime() - this.options.retentionDays * DAY_MS).toISOString();
    await this.checkpoint();
    // segment files are rewritten: not while a checkpoint writes them, nor while a commit places records
    const dropped = await this.checkpoints.rewriteSegments(async () => {
      await writePositionFloor(this.options.dataDir, this.position);
      return this.segments.dropBefore(cutoff);
    });
    // rebuilding is simpler than unpicking every index, and about as fast
    if (dropped > 0) {
      this.indexes = indexSegments(this.segments);
      this.checkpoints.changed(dropped);
      await this.checkpoints.snapshot();
    }
    return dropped;
  }

  stats(): StoreStats {
    return {
      // while loading: every stored id is known, the records are not all read
      events: this.load ? this.load.known.size : this.indexes.byId.size,
      lastReceivedAt: this.lastReceivedAt,
      bytesWritten: this.segments.bytesWritten + this.logs.bytesWritten + this.checkpoints.bytesWritten,
      segments: this.segments.count,
      commits: this.commitCount,
    };
  }

  /**
   * A clean flush (SIGTERM): pending commits finish, segments are written, the log is emptied, the id
   * snapshot brought up to date. During a load, the load stops and nothing is flushed: what was
   * committed meanwhile stays in the log, which the next start replays.
   */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.checkpoints.stop();
    if (this.load) this.load.cancelled = true;
    await this.loaded.catch(() => undefined);
    await this.commits.idle();
    if (!this.load && !this.loadError) {
      await this.checkpoint();
      if (this.checkpoints.snapshotBehind) await this.checkpoints.snapshot();
    }
    await this.logs.close();
  }
}
