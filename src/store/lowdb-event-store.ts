import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AccessRequestRecord, CampaignRef, DecisionRecord, EventRecord } from '../domain/records.ts';
import { AppError } from '../errors.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { BackgroundLoad, knownIds } from './background-load.ts';
import { EventIndexes } from './event-indexes.ts';
import { ID_SNAPSHOT_FILE, readSnapshot, takeSnapshot, writeSnapshot, type IdSnapshot } from './id-snapshot.ts';
import { StoreClosedError, type AppendResult, type EventStore, type LoadProgress, type StoreHealth, type StoreStats } from './event-store.ts';
import { GroupCommit } from './group-commit.ts';
import type { IndexName } from './index-keys.ts';
import { SegmentSet, type Segment } from './segments.ts';
import { StringPool } from './string-pool.ts';
import { readPositionFloor, withPositionSlot, writePositionFloor } from './log-position.ts';
import { WriteHealth, type WriteKind } from './write-health.ts';
import { commitLine, deleteLog, logName, logSequences, replayLogs, setAsideLog, WriteAheadLog } from './write-ahead-log.ts';

const DAY_MS = 86_400_000;

/** one append call: its records, and their JSON when the caller already has it */
interface Submission {
  records: readonly EventRecord[];
  json?: string;
}
/** how often changed segments are written and the log they cover dropped */
const CHECKPOINT_MS = 1000;
/**
 * From this many segment files (~16k records, a load of a few tenths of a second) open() resolves before
 * the records are loaded; below it, it loads them first, as a small store is simplest read complete.
 */
const BACKGROUND_LOAD_FROM = 64;
/**
 * The id snapshot is rewritten after this many new records (and at close, after a load, after retention):
 * a kill -9 then leaves at most this many records' segment files to read at the next start. At 1M records
 * a snapshot is 16 MB: ~1.6 KB per new record, far inside SPEC §8's 64 KiB.
 */
const SNAPSHOT_EVERY = 10_000;

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

/** the stored records could not be read: appends are refused, the files need a look */
export class StoreLoadError extends AppError {
  constructor(cause: unknown) {
    super('STORE_LOAD_FAILED', `the event store could not load its files: ${cause instanceof Error ? cause.message : String(cause)}`, 503);
  }
}

/**
 * The embedded event store: every record and index in memory; on disk, lowdb segment files
 * (segments.ts) kept current by checkpoints, and a write-ahead log (write-ahead-log.ts) that makes each
 * commit durable with one append in between.
 */
export class LowdbEventStore implements EventStore {
  private readonly segments: SegmentSet;
  private readonly walDir: string;
  private wal: WriteAheadLog | undefined;
  /** log files whose records are in memory but maybe not yet in a flushed segment */
  private coveredLogs: number[] = [];
  /** checkpoints and retention rewrite segment files: one at a time */
  private maintenance: Promise<unknown> = Promise.resolve();
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** bytes in the current log file; total bytes written to logs since open */
  private walBytes = 0;
  private walBytesTotal = 0;
  private readonly onWalWrite = (n: number) => {
    this.walBytes += n;
    this.walBytesTotal += n;
  };
  private indexes = new EventIndexes();
  private readonly strings = new StringPool();
  private readonly commits = new GroupCommit<Submission, AppendResult>((batch) => this.writeBatch(batch));
  private state: 'new' | 'open' | 'closed' = 'new';
  private lastReceivedAt: string | undefined;
  private commitCount = 0;
  /** the log position of the newest committed record */
  private position = 0;
  /** log files with damaged lines: kept aside, never deleted, once their records are in segments */
  private readonly damagedLogs = new Set<number>();
  private readonly writes: WriteHealth;
  /** while records load after open() (fast start): what is known meanwhile */
  private load: BackgroundLoad | undefined;
  private loadError: StoreLoadError | undefined;
  private loaded: Promise<void> = Promise.resolve();
  /** records added or dropped since the id snapshot was written (Infinity: it is missing or unusable) */
  private sinceSnapshot = Infinity;
  private snapshotBytes = 0;

  constructor(private readonly options: LowdbEventStoreOptions) {
    this.segments = new SegmentSet(path.join(options.dataDir, 'events'));
    this.walDir = path.join(options.dataDir, 'wal');
    this.writes = new WriteHealth(options.onWriteFailure);
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
   * Opens for appends. A store of BACKGROUND_LOAD_FROM segment files or more, with a usable id snapshot,
   * resolves once it knows every stored id and the last log position (background-load.ts); its records
   * load afterwards (`whenLoaded`). Otherwise everything is loaded first, as before.
   */
  async open(): Promise<void> {
    const floor = await readPositionFloor(this.options.dataDir);
    const found = await this.segments.scan();
    await mkdir(this.walDir, { recursive: true });
    const logs = await logSequences(this.walDir);
    const big = found.length >= (this.options.backgroundLoadFrom ?? BACKGROUND_LOAD_FROM);
    const snapshot = big ? await this.usableSnapshot() : undefined;
    const position = snapshot ? await this.openFromSnapshot(snapshot, found, logs) : await this.loadAll(logs);
    this.position = Math.max(floor, position);
    this.coveredLogs = logs;
    this.wal = await WriteAheadLog.create(this.walDir, (logs[logs.length - 1] ?? 0) + 1, this.onWalWrite);
    this.state = 'open';
    if (!this.load) {
      try {
        await this.checkpoint();
      } catch (e) {
        this.state = 'closed';
        await this.wal.close();
        throw e;
      }
    }
    const every = this.options.checkpointMs ?? CHECKPOINT_MS;
    this.checkpointTimer = setInterval(() => void this.checkpointAndSnapshot().catch((e: unknown) => this.options.onBackgroundError?.(e)), every).unref();
    if (this.load) {
      this.loaded = this.loadInBackground(this.load);
      // a failed load must not end the process as an unhandled rejection: whenLoaded() callers see it,
      // health() reports it and appends are refused
      this.loaded.catch(() => undefined);
    } else if (big) {
      // a big store without a usable snapshot: write one now, so the next start is a fast one
      void this.snapshot().catch((e: unknown) => this.options.onBackgroundError?.(e));
    }
  }

  /** the id snapshot, when its file is whole and of this version (else the reason goes to the operator) */
  private async usableSnapshot(): Promise<IdSnapshot | undefined> {
    const { snapshot, problem } = await readSnapshot(path.join(this.options.dataDir, ID_SNAPSHOT_FILE));
    if (problem) this.options.onSnapshotUnusable?.(problem);
    return snapshot;
  }

  /** every record and index now (a small store, or no usable snapshot); returns the highest log position */
  private async loadAll(logs: readonly number[]): Promise<number> {
    let position = 0;
    await this.segments.readAll(async (seg) => {
      for (const r of seg.records) {
        this.strings.pool(r);
        if (r.seq !== undefined && r.seq > position) position = r.seq;
      }
    });
    this.rebuildIndexes();
    // a crash leaves committed records in the log that no segment has yet: put them back
    const replayed = await this.replayLogs(logs, (id) => this.indexes.byId.has(id));
    this.segments.place(replayed.fresh);
    this.indexes.addAll(replayed.fresh);
    // a store that had no usable snapshot: its records count towards the first one
    this.sinceSnapshot = this.indexes.byId.size;
    return Math.max(position, replayed.lastSeq);
  }

  /** fast start: ids and position only (background-load.ts); returns the highest log position */
  private async openFromSnapshot(snapshot: IdSnapshot, found: readonly Segment[], logs: readonly number[]): Promise<number> {
    const { known, lastSeq, readNow } = await knownIds(found, snapshot, (seg) => this.segments.read(seg));
    const load = new BackgroundLoad(known);
    const replayed = await this.replayLogs(logs, (id) => known.has(id));
    load.committed(replayed.fresh);
    this.load = load;
    this.sinceSnapshot = readNow + replayed.fresh.length;
    return Math.max(lastSeq, replayed.lastSeq);
  }

  /**
   * Records committed to the log but in no segment yet (a crash before a checkpoint), strings pooled;
   * damaged lines reported, their files set aside at the next checkpoint.
   */
  private async replayLogs(logs: readonly number[], stored: (id: string) => boolean): Promise<{ fresh: EventRecord[]; lastSeq: number }> {
    const replayed = await replayLogs(this.walDir, logs, stored, (seq, lines) => {
      this.damagedLogs.add(seq);
      this.options.onDamagedLog?.({ file: logName(seq), lines, keptAs: 'set aside after the next checkpoint' });
    });
    for (const r of replayed.fresh) this.strings.pool(r);
    return replayed;
  }

  /**
   * Reads and indexes every segment, with a turn of the event loop after each (a segment is a few ms of
   * work: deliveries wait no longer than that; yielding less often measured no faster at 1M). Then,
   * between two commits, the records committed meanwhile are placed and indexed after the rest, and the
   * store is loaded.
   */
  private async loadInBackground(load: BackgroundLoad): Promise<void> {
    try {
      const indexes = this.indexes;
      const done = await this.segments.readAll(async (seg) => {
        if (load.cancelled) return false;
        for (const r of seg.records) this.strings.pool(r);
        indexes.addLoaded(seg.records);
        load.loaded += seg.records.length;
        await new Promise<void>((resolve) => setImmediate(resolve));
      });
      if (!done || load.cancelled) return;
      await this.commits.exclusive(async () => {
        if (load.cancelled) return;
        indexes.finishLoad();
        this.segments.place(load.pending);
        indexes.addAll(load.pending);
        this.load = undefined;
      });
    } catch (e) {
      this.loadError = new StoreLoadError(e);
      throw this.loadError;
    }
    if (this.load) return;
    // the log files the load kept are covered by segments once this checkpoint has written them
    await this.checkpoint().catch((e: unknown) => this.options.onBackgroundError?.(e));
    if (this.sinceSnapshot > 0) await this.snapshot().catch((e: unknown) => this.options.onBackgroundError?.(e));
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
      if (this.wal!.broken) await this.startNewLog();
      await this.wal!.append(lines);
      this.commitCount++;
    } catch (e) {
      undo();
      // a line that may be whole in a file that could not be cut back keeps its positions: never reuse them
      if (this.wal!.broken) this.position = next - 1;
      this.writes.failed('commit', e);
      throw e;
    }
    // positions and visibility only once durable (a refused commit leaves no gap behind it)
    fresh.forEach((r, i) => (r.seq = first + i));
    this.position = first + fresh.length - 1;
    if (load) load.committed(fresh);
    else this.indexes.addAll(fresh);
    this.sinceSnapshot += fresh.length;
    this.lastReceivedAt = new Date().toISOString();
    this.writes.succeeded('commit');
    return results;
  }

  /**
   * Brings the segment files up to date and deletes the log files they now cover. The current log is
   * swapped for a fresh one between two commits, so every record of the old logs is in memory (placed in
   * a segment) before the flush starts. A failed flush keeps the logs for the next try, and no new log
   * file is started until a flush succeeds (a full disk must not also fill the folder with log files).
   */
  checkpoint(): Promise<void> {
    // while loading, segments are not all read and the logs hold what is not placed: nothing to write
    if (this.load) return Promise.resolve();
    const run = this.maintenance.then(async () => {
      // after a failed flush, retry it before starting yet another log file
      if (this.walBytes > 0 && this.coveredLogs.length === 0) await this.commits.exclusive(() => this.startNewLog());
      if (this.segments.hasDirty) await this.segments.flush();
      for (const seq of this.coveredLogs.splice(0)) {
        if (this.damagedLogs.delete(seq)) await setAsideLog(this.walDir, seq);
        else await deleteLog(this.walDir, seq);
      }
      this.writes.succeeded('checkpoint');
    });
    this.maintenance = run.catch((e: unknown) => this.writes.failed('checkpoint', e));
    return run;
  }

  /** swaps the current log for a fresh one; only between commits (inside a batch or `commits.exclusive`) */
  private async startNewLog(): Promise<void> {
    const old = this.wal!;
    this.wal = await WriteAheadLog.create(this.walDir, old.seq + 1, this.onWalWrite);
    this.walBytes = 0;
    this.coveredLogs.push(old.seq);
    await old.close().catch(() => undefined);
  }

  /** the timer's work: a checkpoint, and the id snapshot when enough has changed since the last */
  private async checkpointAndSnapshot(): Promise<void> {
    await this.checkpoint();
    if (!this.load && this.sinceSnapshot >= SNAPSHOT_EVERY) await this.snapshot();
  }

  /**
   * Writes the id snapshot (id-snapshot.ts). Between two commits the changed segments are flushed, so
   * every segment's file holds exactly its records in memory; then, while no checkpoint or retention can
   * write a segment (this runs in their queue), their files are stamped and their ids keyed.
   */
  private snapshot(): Promise<void> {
    const run = this.maintenance.then(async () => {
      if (this.load || this.loadError) return;
      const taken = await this.commits.exclusive(async () => {
        if (this.segments.hasDirty) await this.segments.flush();
        const segs = this.segments.list().map((seg) => ({ month: seg.month, seq: seg.seq, records: seg.records, count: seg.records.length, stamp: () => this.segments.stampOf(seg) }));
        // what is committed from here on counts towards the next snapshot
        const since = this.sinceSnapshot;
        this.sinceSnapshot = 0;
        return { since, lastSeq: this.position, segs };
      });
      try {
        const snapshot = await takeSnapshot(taken.lastSeq, taken.segs);
        this.snapshotBytes += await writeSnapshot(path.join(this.options.dataDir, ID_SNAPSHOT_FILE), snapshot);
      } catch (e) {
        this.sinceSnapshot += taken.since;
        throw e;
      }
    });
    this.maintenance = run.catch(() => undefined);
    return run;
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

  private rebuildIndexes(): void {
    const indexes = new EventIndexes();
    indexes.addAll([...this.segments.records()]);
    this.indexes = indexes;
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
    const drop = this.maintenance.then(() =>
      this.commits.exclusive(async () => {
        await writePositionFloor(this.options.dataDir, this.position);
        return this.segments.dropBefore(cutoff);
      }),
    );
    this.maintenance = drop.catch(() => undefined);
    const dropped = await drop;
    // rebuilding is simpler than unpicking every index, and about as fast
    if (dropped > 0) {
      this.rebuildIndexes();
      this.sinceSnapshot += dropped;
      await this.snapshot();
    }
    return dropped;
  }

  stats(): StoreStats {
    return {
      // while loading: every stored id is known, the records are not all read
      events: this.load ? this.load.known.size : this.indexes.byId.size,
      lastReceivedAt: this.lastReceivedAt,
      bytesWritten: this.segments.bytesWritten + this.walBytesTotal + this.snapshotBytes,
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
    clearInterval(this.checkpointTimer);
    if (this.load) this.load.cancelled = true;
    await this.loaded.catch(() => undefined);
    await this.commits.idle();
    if (!this.load && !this.loadError) {
      await this.checkpoint();
      if (this.sinceSnapshot > 0) await this.snapshot();
    }
    await this.wal?.close();
  }
}
