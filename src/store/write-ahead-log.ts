import { constants } from 'node:fs';
import { open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { EventRecord } from '../domain/records.ts';
import { syncDir } from './durable-json-file.ts';

/**
 * The write-ahead log that makes "persist before ack" cheap. lowdb rewrites a whole file per write
 * (SPEC §7), which is too slow to do, fsynced, for every Okta delivery. So a commit appends its new
 * records as one JSON line to `wal/<seq>.jsonl` and fdatasyncs: one small write, one flush. The lowdb
 * segment files are brought up to date later, in a checkpoint (about once a second and on shutdown),
 * after which the log files they cover are deleted. At start-up, logs left by a crash are replayed.
 *
 * A log never lies (issue 11): a write that fails (a full disk) is cut back off the file before the
 * commit is refused, so the next commit starts on a clean line. If even that fails, the log is marked
 * `broken` and the store starts a new file before its next commit.
 */
export class WriteAheadLog {
  /** bytes of whole lines in the file */
  private size = 0;
  /** a failed write could not be cut back: nothing more may be appended to this file */
  broken = false;

  private constructor(
    readonly seq: number,
    private readonly fh: FileHandle,
    private readonly onWrite: (bytes: number) => void,
  ) {}

  /** opens a new, empty log file with sequence number `seq` (and makes the new file durable) */
  static async create(dir: string, seq: number, onWrite: (bytes: number) => void): Promise<WriteAheadLog> {
    // O_DSYNC: each write returns only once its data is on disk, so a commit is a single system call
    // and a single trip through libuv's thread pool (a write then an fdatasync would be two, and on a
    // busy event loop each trip waits for every request handler that is ready to run)
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;
    const fh = await open(fileOf(dir, seq), flags, 0o600);
    try {
      await syncDir(dir);
    } catch (e) {
      await fh.close();
      throw e;
    }
    return new WriteAheadLog(seq, fh, onWrite);
  }

  /** appends lines (each one JSON value) and returns once they are on disk; on failure the file is as before */
  async append(lines: readonly string[]): Promise<void> {
    if (this.broken) throw new Error('the event log file is unusable after a failed write; a new one is started');
    const data = Buffer.from(lines.join('\n') + '\n', 'utf8');
    try {
      const { bytesWritten } = await this.fh.write(data);
      if (bytesWritten !== data.length) throw Object.assign(new Error(`short write to the event log (${bytesWritten} of ${data.length} bytes)`), { code: 'ENOSPC' });
    } catch (e) {
      await this.cutBack();
      throw e;
    }
    this.size += data.length;
    this.onWrite(data.length);
  }

  /** removes the partial bytes of a failed write, so the next commit is not glued onto them */
  private async cutBack(): Promise<void> {
    try {
      await this.fh.truncate(this.size);
      await this.fh.datasync();
    } catch {
      this.broken = true;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** the sequence numbers of the log files in `dir`, oldest first */
export async function logSequences(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => /^\d{8}\.jsonl$/.test(n))
    .map((n) => Number(n.slice(0, 8)))
    .sort((a, b) => a - b);
}

export interface LogContent {
  /** one parsed JSON value per whole line, in order */
  values: unknown[];
  /** the last line was cut short by a crash mid-write: its commit never finished and was never acknowledged */
  tornTail: boolean;
  /** 1-based numbers of unreadable lines that were NOT the last one: damage, not a crash */
  damaged: number[];
}

/**
 * Every line of one log file. Only a torn LAST line is expected (a crash during a commit, which was then
 * never acknowledged, so Okta sends it again). Any other unreadable line is damage the caller must report.
 */
export async function readLog(dir: string, seq: number): Promise<LogContent> {
  const text = await readFile(fileOf(dir, seq), 'utf8');
  const lines = text.split('\n');
  // text ends with '\n' when every commit finished: then the last element is ''
  const last = lines.length - 1;
  const out: LogContent = { values: [], tornTail: false, damaged: [] };
  lines.forEach((line, i) => {
    if (!line) return;
    try {
      out.values.push(JSON.parse(line));
    } catch {
      if (i === last) out.tornTail = true;
      else out.damaged.push(i + 1);
    }
  });
  return out;
}

/** a commit's line: the log position of its first record, then the records (their JSON as given) */
export function commitLine(first: number, recordsJson: string): string {
  return `{"s":${first},"r":${recordsJson}}`;
}

/**
 * Records and their log positions from one line. Lines written before positions existed are plain arrays:
 * their records keep no position (they were routed when they arrived).
 */
function recordsOfLine(value: unknown): EventRecord[] {
  if (Array.isArray(value)) return value as EventRecord[];
  const line = value as { s?: unknown; r?: unknown } | null;
  if (!line || typeof line.s !== 'number' || !Array.isArray(line.r)) return [];
  const first = line.s;
  const records = line.r as EventRecord[];
  records.forEach((r, i) => (r.seq = first + i));
  return records;
}

/** every record committed in one log file, with its log position, and the damaged lines (see readLog) */
export async function replayLog(dir: string, seq: number): Promise<{ records: EventRecord[]; damaged: number[] }> {
  const content = await readLog(dir, seq);
  return { records: content.values.flatMap(recordsOfLine), damaged: content.damaged };
}

/**
 * The records of several log files (oldest first) that `stored` does not know, each id once, and the
 * highest log position in them: what a start puts back after a crash. Damaged lines go to `onDamaged`.
 */
export async function replayLogs(
  dir: string,
  logs: readonly number[],
  stored: (id: string) => boolean,
  onDamaged: (seq: number, lines: number[]) => void,
): Promise<{ fresh: EventRecord[]; lastSeq: number }> {
  const fresh = new Map<string, EventRecord>();
  let lastSeq = 0;
  for (const seq of logs) {
    const { records, damaged } = await replayLog(dir, seq);
    if (damaged.length > 0) onDamaged(seq, damaged);
    for (const r of records) {
      if (r.seq !== undefined && r.seq > lastSeq) lastSeq = r.seq;
      if (!fresh.has(r.id) && !stored(r.id)) fresh.set(r.id, r);
    }
  }
  return { fresh: [...fresh.values()], lastSeq };
}

export async function deleteLog(dir: string, seq: number): Promise<void> {
  await unlink(fileOf(dir, seq));
}

/** keeps a damaged log out of the way, for a person to look at, instead of deleting it; returns its new path */
export async function setAsideLog(dir: string, seq: number, now = new Date()): Promise<string> {
  const aside = `${fileOf(dir, seq)}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(fileOf(dir, seq), aside);
  await syncDir(dir);
  return aside;
}

export function logName(seq: number): string {
  return `${String(seq).padStart(8, '0')}.jsonl`;
}

function fileOf(dir: string, seq: number): string {
  return path.join(dir, logName(seq));
}
