/**
 * What keeps an open event store's files current (lowdb-event-store.ts): checkpoints, which write the
 * changed segments and drop the log files they now cover; the id snapshot (id-snapshot.ts), which a fast
 * start reads; and, queued with them, retention's rewrite of segment files. All of them write segment
 * files, so they run one at a time, in the order asked.
 */
import path from 'node:path';
import type { GroupCommit } from './group-commit.ts';
import { ID_SNAPSHOT_FILE, takeSnapshot, writeSnapshot } from './id-snapshot.ts';
import type { LogFiles } from './log-files.ts';
import type { SegmentSet } from './segments.ts';
import type { WriteHealth } from './write-health.ts';

/** how often changed segments are written and the log they cover dropped */
const CHECKPOINT_MS = 1000;
/**
 * The id snapshot is rewritten after this many new records (and at close, after a load, after retention):
 * a kill -9 then leaves at most this many records' segment files to read at the next start. At 1M records
 * a snapshot is 16 MB: ~1.6 KB per new record, far inside SPEC §8's 64 KiB.
 */
const SNAPSHOT_EVERY = 10_000;

/** runs a step between two commits (group-commit.ts) */
export type BetweenCommits = Pick<GroupCommit<unknown, unknown>, 'exclusive'>;

/** what the checkpoints are given: the store's files, its commit queue, and a view of its state */
export interface CheckpointsOf {
  dataDir: string;
  segments: SegmentSet;
  logs: LogFiles;
  commits: BetweenCommits;
  writes: WriteHealth;
  /** the log position of the newest committed record */
  lastSeq(): number;
  /** records load after open (fast start): segments are not all read, and the logs hold what is not placed */
  loading(): boolean;
  /** the stored records could not be loaded */
  loadFailed(): boolean;
}

export class Checkpoints {
  /** checkpoints, snapshots and retention rewrite segment files: one at a time */
  private maintenance: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** records added or dropped since the id snapshot was written (Infinity: it is missing or unusable) */
  private sinceSnapshot = Infinity;
  private snapshotBytes = 0;

  constructor(private readonly store: CheckpointsOf) {}

  /** at open: how many stored records the id snapshot does not cover */
  opened(sinceSnapshot: number): void {
    this.sinceSnapshot = sinceSnapshot;
  }

  /** runs a checkpoint (and a snapshot when due) every `everyMs`; failures go to `onError` */
  start(everyMs = CHECKPOINT_MS, onError?: (err: unknown) => void): void {
    this.timer = setInterval(() => void this.checkpointAndSnapshot().catch((e: unknown) => onError?.(e)), everyMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** records committed (or dropped) that the id snapshot does not hold */
  changed(records: number): void {
    this.sinceSnapshot += records;
  }

  /** something changed since the id snapshot was written */
  get snapshotBehind(): boolean {
    return this.sinceSnapshot > 0;
  }

  /** bytes written to id snapshots since open */
  get bytesWritten(): number {
    return this.snapshotBytes;
  }

  /**
   * Brings the segment files up to date and deletes the log files they now cover. The current log is
   * swapped for a fresh one between two commits, so every record of the old logs is in memory (placed in
   * a segment) before the flush starts. A failed flush keeps the logs for the next try, and no new log
   * file is started until a flush succeeds (a full disk must not also fill the folder with log files).
   */
  checkpoint(): Promise<void> {
    const { segments, logs, commits, writes } = this.store;
    // while loading, segments are not all read and the logs hold what is not placed: nothing to write
    if (this.store.loading()) return Promise.resolve();
    const run = this.maintenance.then(async () => {
      // after a failed flush, retry it before starting yet another log file
      if (logs.swapDue) await commits.exclusive(() => logs.swap());
      if (segments.hasDirty) await segments.flush();
      await logs.dropCovered();
      writes.succeeded('checkpoint');
    });
    this.maintenance = run.catch((e: unknown) => writes.failed('checkpoint', e));
    return run;
  }

  /** the timer's work: a checkpoint, and the id snapshot when enough has changed since the last */
  private async checkpointAndSnapshot(): Promise<void> {
    await this.checkpoint();
    if (!this.store.loading() && this.sinceSnapshot >= SNAPSHOT_EVERY) await this.snapshot();
  }

  /**
   * Writes the id snapshot (id-snapshot.ts). Between two commits the changed segments are flushed, so
   * every segment's file holds exactly its records in memory; then, while no checkpoint or retention can
   * write a segment (this runs in their queue), their files are stamped and their ids keyed.
   */
  snapshot(): Promise<void> {
    const { segments, commits } = this.store;
    const run = this.maintenance.then(async () => {
      if (this.store.loading() || this.store.loadFailed()) return;
      const taken = await commits.exclusive(async () => {
        if (segments.hasDirty) await segments.flush();
        const segs = segments.list().map((seg) => ({ month: seg.month, seq: seg.seq, records: seg.records, count: seg.records.length, stamp: () => segments.stampOf(seg) }));
        // what is committed from here on counts towards the next snapshot
        const since = this.sinceSnapshot;
        this.sinceSnapshot = 0;
        return { since, lastSeq: this.store.lastSeq(), segs };
      });
      try {
        const snapshot = await takeSnapshot(taken.lastSeq, taken.segs);
        this.snapshotBytes += await writeSnapshot(path.join(this.store.dataDir, ID_SNAPSHOT_FILE), snapshot);
      } catch (e) {
        this.sinceSnapshot += taken.since;
        throw e;
      }
    });
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  /** runs `rewrite` after the checkpoints and snapshots asked for before it, and between two commits */
  rewriteSegments<T>(rewrite: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(() => this.store.commits.exclusive(rewrite));
    this.maintenance = run.catch(() => undefined);
    return run;
  }
}
