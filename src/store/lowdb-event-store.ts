import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AccessRequestRecord, CampaignRef, DecisionRecord, EventRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { EventIndexes } from './event-indexes.ts';
import { StoreClosedError, type AppendResult, type EventStore, type LoadProgress, type StoreHealth, type StoreStats } from './event-store.ts';
import { GroupCommit } from './group-commit.ts';
import type { IndexName } from './index-keys.ts';
import { SegmentSet } from './segments.ts';
import { StringPool } from './string-pool.ts';
import { readPositionFloor, withPositionSlot, writePositionFloor } from './log-position.ts';
import { WriteHealth, type WriteKind } from './write-health.ts';
import { commitLine, deleteLog, logName, logSequences, replayLog, setAsideLog, WriteAheadLog } from './write-ahead-log.ts';

const DAY_MS = 86_400_000;

/** one append call: its records, and their JSON when the caller already has it */
interface Submission {
  records: readonly EventRecord[];
  json?: string;
}
/** how often changed segments are written and the log they cover dropped */
const CHECKPOINT_MS = 1000;

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

  constructor(private readonly options: LowdbEventStoreOptions) {
    this.segments = new SegmentSet(path.join(options.dataDir, 'events'));
    this.walDir = path.join(options.dataDir, 'wal');
    this.writes = new WriteHealth(options.onWriteFailure);
  }

  /** open() loads everything before it resolves: nothing left to load once open */
  loadProgress(): LoadProgress | undefined {
    return undefined;
  }

  whenLoaded(): Promise<void> {
    return Promise.resolve();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  async open(): Promise<void> {
    let position = await readPositionFloor(this.options.dataDir);
    await this.segments.load((records) => {
      for (const r of records) {
        this.strings.pool(r);
        if (r.seq !== undefined && r.seq > position) position = r.seq;
      }
    });
    this.rebuildIndexes();
    // a crash leaves committed records in the log that no segment has yet: put them back
    await mkdir(this.walDir, { recursive: true });
    const logs = await logSequences(this.walDir);
    for (const seq of logs) {
      const { records, damaged } = await replayLog(this.walDir, seq);
      if (damaged.length > 0) {
        this.damagedLogs.add(seq);
        this.options.onDamagedLog?.({ file: logName(seq), lines: damaged, keptAs: 'set aside after the next checkpoint' });
      }
      const lost: EventRecord[] = [];
      for (const r of records) {
        if (r.seq !== undefined && r.seq > position) position = r.seq;
        if (!this.indexes.byId.has(r.id)) lost.push(r);
      }
      const fresh = [...new Map(lost.map((r) => [r.id, r])).values()];
      for (const r of fresh) this.strings.pool(r);
      this.segments.place(fresh);
      this.indexes.addAll(fresh);
    }
    this.position = position;
    this.coveredLogs = logs;
    this.wal = await WriteAheadLog.create(this.walDir, (logs[logs.length - 1] ?? 0) + 1, this.onWalWrite);
    this.state = 'open';
    try {
      await this.checkpoint();
    } catch (e) {
      this.state = 'closed';
      await this.wal.close();
      throw e;
    }
    const every = this.options.checkpointMs ?? CHECKPOINT_MS;
    this.checkpointTimer = setInterval(() => void this.checkpoint().catch((e: unknown) => this.options.onBackgroundError?.(e)), every).unref();
  }

  append(records: readonly EventRecord[], json?: string): Promise<AppendResult> {
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
        if (this.indexes.byId.has(r.id) || seen.has(r.id)) result.duplicates++;
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
    const undo = this.segments.place(fresh);
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
    this.indexes.addAll(fresh);
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

  /** false while commits or checkpoints fail (write-health.ts) */
  health(): StoreHealth {
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
    return this.indexes.decisionFor(item);
  }

  campaignTotals(campaign: CampaignRef): CampaignTotals {
    return this.indexes.campaignTotals(campaign);
  }

  requestEvents(requestId: string): AccessRequestRecord[] {
    return this.indexes.lookup('request', requestId).filter((r): r is AccessRequestRecord => r.kind === 'access_request');
  }

  async applyRetention(now = new Date()): Promise<number> {
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
    if (dropped > 0) this.rebuildIndexes();
    return dropped;
  }

  stats(): StoreStats {
    return {
      events: this.indexes.byId.size,
      lastReceivedAt: this.lastReceivedAt,
      bytesWritten: this.segments.bytesWritten + this.walBytesTotal,
      segments: this.segments.count,
      commits: this.commitCount,
    };
  }

  /** a clean flush (SIGTERM): pending commits finish, segments are written, the log is emptied */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    clearInterval(this.checkpointTimer);
    await this.commits.idle();
    await this.checkpoint();
    await this.wal?.close();
  }
}
