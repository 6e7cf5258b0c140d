import { constants } from 'node:fs';
import { open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { EventRecord } from '../domain/records.ts';
import { syncDir } from './durable-json-file.ts';

/**
 * The write-ahead log that makes "persist before ack" cheap. lowdb rewrites a whole file per write
 * (SPEC §7), which is too slow to do, fsynced, for every Okta delivery. So a commit appends its new
 * records as one JSON line to `wal/<seq>.jsonl` and fdatasyncs: one small write, one flush. The lowdb
 * segment files are brought up to date later, in a checkpoint (about once a second and on shutdown),
 * after which the log files they cover are deleted. At start-up, logs left by a crash are replayed.
 */
export class WriteAheadLog {
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
    await syncDir(dir);
    return new WriteAheadLog(seq, fh, onWrite);
  }

  /** appends lines, each the JSON of an array of records, and returns once they are on disk */
  async append(lines: readonly string[]): Promise<void> {
    const line = Buffer.from(lines.join('\n') + '\n', 'utf8');
    const { bytesWritten } = await this.fh.write(line);
    if (bytesWritten !== line.length) throw new Error(`short write to the event log (${bytesWritten} of ${line.length} bytes)`);
    this.onWrite(line.length);
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

/**
 * Every record in one log file. A last line cut short by a crash is skipped: its commit never finished,
 * so its delivery was never acknowledged and Okta sends it again.
 */
export async function readLog(dir: string, seq: number): Promise<EventRecord[]> {
  const text = await readFile(fileOf(dir, seq), 'utf8');
  const out: EventRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(...(JSON.parse(line) as EventRecord[]));
    } catch {
      // torn tail of an unfinished commit
    }
  }
  return out;
}

export async function deleteLog(dir: string, seq: number): Promise<void> {
  await unlink(fileOf(dir, seq));
}

function fileOf(dir: string, seq: number): string {
  return path.join(dir, `${String(seq).padStart(8, '0')}.jsonl`);
}
