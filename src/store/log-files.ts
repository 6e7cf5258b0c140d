/**
 * The write-ahead log files of an open event store (one file's format and writes: write-ahead-log.ts).
 * Commits go to the current file; a checkpoint (checkpoints.ts) swaps it for a fresh one between two
 * commits, flushes the segments, and then drops the files it swapped out, which the segments now cover.
 * Kept apart so the store and its checkpoints share one object that knows which file is which, instead
 * of the file handle, the list of covered files and the byte counts.
 */
import { mkdir } from 'node:fs/promises';
import type { EventRecord } from '../domain/records.ts';
import { deleteLog, logName, logSequences, replayLogs, setAsideLog, WriteAheadLog } from './write-ahead-log.ts';

export interface LogDamage {
  file: string;
  lines: number[];
  keptAs: string;
}

export class LogFiles {
  private current: WriteAheadLog | undefined;
  /** log files whose records are in memory but maybe not yet in a flushed segment */
  private covered: number[] = [];
  /** log files with damaged lines: kept aside, never deleted, once their records are in segments */
  private readonly damaged = new Set<number>();
  /** bytes in the current log file; total bytes written to logs since open */
  private bytes = 0;
  private bytesTotal = 0;
  private readonly onWrite = (n: number) => {
    this.bytes += n;
    this.bytesTotal += n;
  };

  /** @param onDamaged told, at open, about a log file with unreadable lines that are not a torn last commit */
  constructor(
    private readonly dir: string,
    private readonly onDamaged?: (damage: LogDamage) => void,
  ) {}

  /** the log files left by the last run (a crash leaves commits in them), oldest first */
  async found(): Promise<number[]> {
    await mkdir(this.dir, { recursive: true });
    return logSequences(this.dir);
  }

  /**
   * Records committed to the log but unknown to `stored` (a crash before a checkpoint); damaged lines
   * reported, their files set aside at the next checkpoint.
   */
  replay(logs: readonly number[], stored: (id: string) => boolean): Promise<{ fresh: EventRecord[]; lastSeq: number }> {
    return replayLogs(this.dir, logs, stored, (seq, lines) => {
      this.damaged.add(seq);
      this.onDamaged?.({ file: logName(seq), lines, keptAs: 'set aside after the next checkpoint' });
    });
  }

  /** starts a new log file after the `found` ones, which the next checkpoint covers */
  async start(found: readonly number[]): Promise<void> {
    this.covered = [...found];
    this.current = await WriteAheadLog.create(this.dir, (found[found.length - 1] ?? 0) + 1, this.onWrite);
  }

  /** a failed write could not be cut back off the current file (write-ahead-log.ts) */
  get broken(): boolean {
    return this.current!.broken;
  }

  /** one commit's lines, on disk when this resolves; a broken file is first swapped for a fresh one */
  async append(lines: readonly string[]): Promise<void> {
    if (this.current!.broken) await this.swap();
    await this.current!.append(lines);
  }

  /** swaps the current log for a fresh one; only between commits (inside a batch or `commits.exclusive`) */
  async swap(): Promise<void> {
    const old = this.current!;
    this.current = await WriteAheadLog.create(this.dir, old.seq + 1, this.onWrite);
    this.bytes = 0;
    this.covered.push(old.seq);
    await old.close().catch(() => undefined);
  }

  /**
   * The current file holds commits and no file swapped out before waits for a flush. After a failed
   * flush it does not: that flush is retried before yet another log file is started.
   */
  get swapDue(): boolean {
    return this.bytes > 0 && this.covered.length === 0;
  }

  /** once the segments are flushed: deletes the files swapped out before (damaged ones are set aside) */
  async dropCovered(): Promise<void> {
    for (const seq of this.covered.splice(0)) {
      if (this.damaged.delete(seq)) await setAsideLog(this.dir, seq);
      else await deleteLog(this.dir, seq);
    }
  }

  /** bytes written to log files since open */
  get bytesWritten(): number {
    return this.bytesTotal;
  }

  async close(): Promise<void> {
    await this.current?.close();
  }
}
