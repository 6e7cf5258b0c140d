/**
 * An append-only, durable log of changes to one piece of state, with compaction (issue 11: "queueing,
 * delivering and forgetting a card cost O(1) bytes written, independent of queue length"). A StateFile
 * rewrites and fsyncs its whole document per change, so a queue of n items costs O(n) bytes per change and
 * O(n²) to fill; here a change is one JSON line appended with O_DSYNC (as the event log does it), so it costs
 * the size of the change. The state lives in memory and is rebuilt at start-up from a snapshot plus the
 * changes logged after it.
 *
 * Files, in the journal's own folder, by generation g:
 *
 *   <g>.snapshot.json   the whole state when generation g began (written to a temp file, fsynced, renamed)
 *   <g>.log.jsonl       the changes since, one JSON line each
 *
 * Start-up uses the highest generation with a snapshot. Compaction (when the log has grown past 4× the live
 * state plus a floor, so its cost is amortised over at least that many appended bytes) goes: create the
 * empty log g+1, write snapshot g+1 (its rename is the commit point), switch, delete generation g. A crash
 * at any step leaves either generation g whole (and an empty log g+1 that start-up removes) or snapshot g+1
 * holding everything log g had.
 *
 * Replay tolerates only a torn last line (bytes after the last newline: an append cut short by a crash,
 * never acknowledged), and cuts it off so the next append starts a clean line. Any other unreadable line is
 * logged as an error, the rest is applied, and the file is kept aside (renamed *.corrupt) once a new
 * generation holds the state. A failed append (disk full) truncates the log back to its last whole line
 * and rejects; the in-memory state changes only after an append succeeded. If even the truncation fails,
 * no further line is appended to that file: the next change starts a new generation first.
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { syncDir } from './durable-json-file.ts';
import { exists, gens, LOG, logFile, openAppendOnly, readSnapshot, removeEmptyLogs, replayLog, SNAPSHOT, snapshotFile, type LogHandle } from './journal-files.ts';

export interface JournalOptions<S, Op> {
  /** the journal's own folder (created if missing) */
  dir: string;
  log: Logger;
  /** the state of a journal that has never been written */
  initial(): S;
  /** applies one change; must tolerate a change that names something no longer there */
  apply(state: S, op: Op): void;
  /** the state as JSON for a snapshot, and back */
  encode(state: S): unknown;
  decode(json: unknown): S;
  /** about how many bytes the state takes in a snapshot; called after every append, so keep it O(1) */
  liveBytes(state: S): number;
  /** a log shorter than this is never compacted (default 1 MiB) */
  floorBytes?: number;
  /**
   * A whole-file state from before the journal existed: imported when the journal has no files yet, then
   * removed (an upgrade loses nothing). `read` turns its parsed JSON into the state.
   */
  legacy?: { file: string; read(json: unknown): S };
  /** opens a log file for appending; tests wrap the default to inject failures */
  openLog?: (file: string) => Promise<LogHandle>;
}

/** what a journal's owner lets its caller choose */
export interface JournalTuning {
  /** where problems (a torn or corrupt line) are reported; default: the bot's stderr logger */
  log?: Logger;
  /** the compaction floor, bytes (tests make it small) */
  floorBytes?: number;
  /** opens the log file; tests wrap `openAppendOnly` to make writes fail */
  openLog?: (file: string) => Promise<LogHandle>;
}

/** a change, planned against the current state without touching it; no `op`: nothing to write */
export interface Planned<Op, R> {
  op?: Op;
  result: R;
}

const DEFAULT_FLOOR = 1024 * 1024;
const GROWTH = 4;

/** bytes written by every journal in this process, by folder: the benchmark reads it */
const written = new Map<string, number>();

/** bytes written (appends and snapshots) by the journals whose folder is `under` or inside it */
export function journalBytesWritten(under: string): number {
  const root = path.resolve(under);
  let total = 0;
  for (const [dir, bytes] of written) if (dir === root || dir.startsWith(root + path.sep)) total += bytes;
  return total;
}

export class Journal<S, Op> {
  private queue: Promise<unknown> = Promise.resolve();
  /** the last append may have left bytes behind that could not be cut off: append nothing more to this file */
  private broken = false;
  /** after a failed compaction, wait for this many more log bytes before trying again */
  private retryAt = 0;
  private bytes = 0;

  private constructor(
    private readonly o: JournalOptions<S, Op>,
    private readonly dir: string,
    private current: S,
    private gen: number,
    private fh: LogHandle,
    private logBytes: number,
  ) {}

  static async open<S, Op>(o: JournalOptions<S, Op>): Promise<Journal<S, Op>> {
    const dir = path.resolve(o.dir);
    await mkdir(dir, { recursive: true });
    const openLog = o.openLog ?? openAppendOnly;
    const files = await readdir(dir);
    for (const f of files) if (f.endsWith('.tmp')) await unlink(path.join(dir, f));
    const snapshots = gens(files, SNAPSHOT);
    const logs = gens(files, LOG);
    const top = snapshots.at(-1);
    const legacy = o.legacy && (await exists(o.legacy.file)) ? o.legacy : undefined;

    if (top === undefined) {
      // a new journal (or one whose first snapshot never got renamed in: every log then is an empty leftover)
      await removeEmptyLogs(dir, logs, o.log);
      let state = o.initial();
      if (legacy) state = legacy.read(JSON.parse(await readFile(legacy.file, 'utf8')));
      const journal = new Journal(o, dir, state, 0, await openLog(logFile(dir, 1)), 0);
      try {
        await syncDir(dir);
        await journal.snapshot(1);
      } catch (err) {
        await journal.fh.close().catch(() => undefined);
        throw err;
      }
      journal.gen = 1;
      if (legacy) {
        await unlink(legacy.file);
        await syncDir(path.dirname(legacy.file));
        o.log.info({ from: legacy.file, to: dir }, 'moved a state file into its journal');
      }
      return journal;
    }

    // a log newer than the newest snapshot is the empty log of a compaction that died before its snapshot
    await removeEmptyLogs(dir, logs.filter((g) => g > top), o.log);
    const state = o.decode(await readSnapshot(snapshotFile(dir, top)));
    const replay = await replayLog(logFile(dir, top), (op: Op) => o.apply(state, op));
    if (replay.torn > 0) o.log.warn({ file: logFile(dir, top), bytes: replay.torn }, 'cut off a torn last line (a write interrupted by a crash, never acknowledged)');
    if (replay.bad.length > 0) {
      o.log.error(
        { file: logFile(dir, top), lines: replay.bad },
        'unreadable lines in the middle of a journal: they were skipped, the file is kept aside as *.corrupt; check the disk',
      );
    }
    const fh = await openLog(logFile(dir, top));
    if (replay.torn > 0) {
      await fh.truncate(replay.whole);
      await fh.datasync();
    }
    const journal = new Journal(o, dir, state, top, fh, replay.whole);
    // leftovers of a compaction that died before it could delete generation top-1
    for (const g of snapshots.filter((s) => s < top)) await unlink(snapshotFile(dir, g));
    for (const g of logs.filter((l) => l < top)) await unlink(logFile(dir, g));
    if (replay.bad.length > 0) {
      // not fatal: appending after the bad line is safe, and the next start-up reports it again
      await journal.roll(true).catch((err: unknown) => o.log.error({ err, dir }, 'could not move the journal past its unreadable lines yet'));
    }
    if (legacy) {
      // the journal already holds it: an import that was interrupted after its snapshot
      await unlink(legacy.file);
      await syncDir(path.dirname(legacy.file));
      o.log.warn({ file: legacy.file }, 'removed a state file the journal had already imported');
    }
    return journal;
  }

  /** the state; change it only through `commit` */
  get state(): Readonly<S> {
    return this.current;
  }

  /** bytes this journal wrote since it was opened (appends and snapshots) */
  get bytesWritten(): number {
    return this.bytes;
  }

  /**
   * Plans a change against the current state (after every earlier commit), appends it durably, then applies
   * it. Rejects, with the state and the file as before, when the append fails. Commits run one at a time.
   */
  commit<R>(plan: (state: Readonly<S>) => Planned<Op, R>): Promise<R> {
    const run = this.queue.then(async () => {
      const { op, result } = plan(this.current);
      if (op === undefined) return result;
      await this.append(JSON.stringify(op));
      this.o.apply(this.current, op);
      await this.compactIfDue();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** waits for pending commits and closes the log file */
  async close(): Promise<void> {
    await this.queue;
    await this.fh.close();
  }

  private async append(json: string): Promise<void> {
    if (this.broken) await this.roll(false);
    const line = Buffer.from(json + '\n', 'utf8');
    const before = this.logBytes;
    try {
      const n = await this.fh.append(line);
      if (n !== line.length) throw new Error(`short write to the journal ${this.dir} (${n} of ${line.length} bytes)`);
    } catch (err) {
      try {
        await this.fh.truncate(before);
        await this.fh.datasync();
      } catch (cut) {
        this.broken = true;
        this.o.log.error({ err: cut, dir: this.dir }, 'could not cut a failed append off the journal: the next change starts a new file');
      }
      throw err;
    }
    this.logBytes += line.length;
    this.count(line.length);
  }

  private async compactIfDue(): Promise<void> {
    const threshold = GROWTH * this.o.liveBytes(this.current) + (this.o.floorBytes ?? DEFAULT_FLOOR);
    if (this.logBytes <= threshold || this.logBytes < this.retryAt) return;
    try {
      await this.roll(false);
    } catch (err) {
      // the change is durable in the log already; compaction is tried again once the log grew some more
      this.retryAt = this.logBytes + (this.o.floorBytes ?? DEFAULT_FLOOR);
      this.o.log.warn({ err, dir: this.dir }, 'could not compact the journal; it keeps growing until it can');
    }
  }

  /** starts generation gen+1 holding the current state; `keepAside`: rename the old log *.corrupt, not delete it */
  private async roll(keepAside: boolean): Promise<void> {
    const next = this.gen + 1;
    const fh = await (this.o.openLog ?? openAppendOnly)(logFile(this.dir, next));
    try {
      await syncDir(this.dir);
      await this.snapshot(next);
    } catch (err) {
      await fh.close().catch(() => undefined);
      await unlink(logFile(this.dir, next)).catch(() => undefined);
      throw err;
    }
    const old = { gen: this.gen, fh: this.fh };
    this.fh = fh;
    this.gen = next;
    this.logBytes = 0;
    this.broken = false;
    this.retryAt = 0;
    await old.fh.close().catch(() => undefined);
    try {
      if (keepAside) await rename(logFile(this.dir, old.gen), `${logFile(this.dir, old.gen)}.corrupt`);
      else await unlink(logFile(this.dir, old.gen));
      await unlink(snapshotFile(this.dir, old.gen)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await syncDir(this.dir);
    } catch (err) {
      // harmless: start-up removes generations older than the newest snapshot
      this.o.log.warn({ err, dir: this.dir }, 'could not remove the previous journal generation');
    }
  }

  /** writes snapshot `gen`: temp file, fsync, rename (the commit point), fsync the folder */
  private async snapshot(gen: number): Promise<void> {
    const file = snapshotFile(this.dir, gen);
    const tmp = `${file}.tmp`;
    const text = Buffer.from(JSON.stringify({ journal: 1, gen, state: this.o.encode(this.current) }), 'utf8');
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await fh.close();
    await rename(tmp, file);
    this.count(text.length);
    await syncDir(this.dir);
  }

  private count(n: number): void {
    this.bytes += n;
    written.set(this.dir, (written.get(this.dir) ?? 0) + n);
  }
}
