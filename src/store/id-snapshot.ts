/**
 * DATA_DIR/event-ids.bin: the ids of every record in the segment files, as 16-byte keys (id-keys.ts),
 * listed per segment file with what that file looked like when they were taken (inode, size, mtime).
 * With it a start at 1M events refuses duplicates after reading 16 MB instead of parsing 600 MB of
 * segments (issue 13: the hook answers within 2 s); the records themselves load in the background.
 *
 * It is only a helper: the segments and the write-ahead log stay the truth. A segment whose file no longer
 * looks as recorded (written since, by a checkpoint or retention, or new) is read at open instead; a
 * segment that is gone is left out; a file that is torn, of another version or of another byte order
 * fails its checks and the store loads everything as before, then writes a new one. Segment files are
 * always replaced by a rename, so a rewritten file has a new inode even when its size and mtime match.
 *
 * Layout: "OIGIDS1\n", u32 header length, the header (JSON, padded to 4 bytes), the keys (four u32 words
 * each, in the header's segment order), u32 CRC-32 of everything before it.
 */
import { endianness } from 'node:os';
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { writeDurably } from './durable-json-file.ts';
import { idKey, KEY_BYTES } from './id-keys.ts';

const MAGIC = Buffer.from('OIGIDS1\n', 'latin1');
/** in DATA_DIR, beside the events folder (not in it: that folder holds only month folders and position.json) */
export const ID_SNAPSHOT_FILE = 'event-ids.bin';

/** what a segment file looked like on disk: the snapshot's keys hold for it while it still does */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface SnapshotSegment extends FileStamp {
  /** the segment's folder name (YYYY-MM) and number, as SegmentSet names them */
  month: string;
  seq: number;
  /** the keys of its records, packed four words each */
  keys: Uint32Array;
}

export interface IdSnapshot {
  /** the store's log position when the snapshot was taken: at least that of every record it lists */
  lastSeq: number;
  segments: SnapshotSegment[];
}

interface Header {
  endian: string;
  lastSeq: number;
  /** [month, seq, ino, size, mtimeMs, number of keys] */
  segments: Array<[string, number, number, number, number, number]>;
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

export function encodeSnapshot(snapshot: IdSnapshot): Buffer {
  const header: Header = {
    endian: endianness(),
    lastSeq: snapshot.lastSeq,
    segments: snapshot.segments.map((s) => [s.month, s.seq, s.ino, s.size, s.mtimeMs, s.keys.length / 4]),
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  // keys start on a 4-byte boundary, so reading can view them as words without a copy
  if (json.length % 4 !== 0) json = Buffer.concat([json, Buffer.alloc(4 - (json.length % 4), 0x20)]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const parts: Buffer[] = [MAGIC, length, json, ...snapshot.segments.map((s) => Buffer.from(s.keys.buffer, s.keys.byteOffset, s.keys.byteLength))];
  const body = Buffer.concat(parts);
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32(body));
  return Buffer.concat([body, sum]);
}

/** the snapshot in the file, or why it cannot be used */
export function decodeSnapshot(file: Buffer): IdSnapshot | string {
  if (file.length < MAGIC.length + 8 || !file.subarray(0, MAGIC.length).equals(MAGIC)) return 'not an id snapshot of this version';
  const end = file.length - 4;
  if (crc32(file.subarray(0, end)) !== file.readUInt32LE(end)) return 'its checksum does not match (torn or damaged)';
  const headerLength = file.readUInt32LE(MAGIC.length);
  const keysAt = MAGIC.length + 4 + headerLength;
  let header: Header;
  try {
    header = JSON.parse(file.toString('utf8', MAGIC.length + 4, keysAt)) as Header;
  } catch {
    return 'its header is unreadable';
  }
  if (typeof header.lastSeq !== 'number' || !Array.isArray(header.segments)) return 'its header is unreadable';
  if (header.endian !== endianness()) return 'it was written on a machine of another byte order';
  const total = header.segments.reduce((n, s) => n + s[5], 0);
  if (keysAt + total * KEY_BYTES !== end) return 'its length does not match its header';
  // an aligned copy of the keys when the file's buffer does not start on a word boundary
  const bytes = (file.byteOffset + keysAt) % 4 === 0 ? file : Buffer.from(file);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + keysAt, total * 4);
  let at = 0;
  const segments = header.segments.map(([month, seq, ino, size, mtimeMs, count]) => {
    const keys = words.subarray(at, at + count * 4);
    at += count * 4;
    return { month, seq, ino, size, mtimeMs, keys };
  });
  return { lastSeq: header.lastSeq, segments };
}

/** the snapshot in `file`; undefined with the reason when it is missing or unusable */
export async function readSnapshot(file: string): Promise<{ snapshot?: IdSnapshot; problem?: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { problem: 'there is none yet' };
    throw e;
  }
  const decoded = decodeSnapshot(bytes);
  return typeof decoded === 'string' ? { problem: decoded } : { snapshot: decoded };
}

/** writes the snapshot durably (temp file, fsync, rename); returns the bytes written */
export function writeSnapshot(file: string, snapshot: IdSnapshot): Promise<number> {
  return writeDurably(file, encodeSnapshot(snapshot));
}

/** a segment as the snapshot is taken from it: its records on disk are the first `count` in memory */
export interface TakenSegment {
  month: string;
  seq: number;
  records: readonly { id: string }[];
  count: number;
  stamp(): Promise<FileStamp>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Builds the snapshot of segments whose files match their records in memory (the caller flushed them and
 * keeps them from being written meanwhile). Keys are made a few segments at a time, letting deliveries
 * in between: at 1M records this is a few hundred milliseconds of work.
 */
export async function takeSnapshot(lastSeq: number, taken: readonly TakenSegment[]): Promise<IdSnapshot> {
  const segments: SnapshotSegment[] = [];
  const STEP = 64;
  for (let i = 0; i < taken.length; i += STEP) {
    const chunk = taken.slice(i, i + STEP);
    const stamps = await Promise.all(chunk.map((t) => t.stamp()));
    chunk.forEach((t, j) => {
      const keys = new Uint32Array(t.count * 4);
      for (let k = 0; k < t.count; k++) idKey(t.records[k]!.id, keys, k * 4);
      segments.push({ month: t.month, seq: t.seq, ...stamps[j]!, keys });
    });
    await yieldToEventLoop();
  }
  return { lastSeq, segments };
}
