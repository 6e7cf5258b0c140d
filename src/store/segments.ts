import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { EventRecord } from '../domain/records.ts';
import { DurableJsonFile, syncDir, type JsonCodec } from './durable-json-file.ts';
import type { FileStamp } from './id-snapshot.ts';
import { fromStored, toStored } from './segment-codec.ts';

/**
 * Events live in many small lowdb files instead of one big one, because lowdb rewrites a whole file on
 * every write (SPEC §7). Layout: `events/<YYYY-MM>/<000001>.json`, by the month the event happened in
 * (retention drops whole months), each file holding at most SEGMENT_MAX_RECORDS records. New events go
 * into the last file of their month, so a flush rewrites one small file per month touched — never
 * history. Durability between flushes is the write-ahead log's job (write-ahead-log.ts).
 */
export const SEGMENT_MAX_RECORDS = 256;
/** a file that grew past this (a few huge unparsed events) is closed early */
export const SEGMENT_MAX_BYTES = 256 * 1024;

interface SegmentData {
  records: EventRecord[];
}

/** segment files leave out what can be rebuilt (segment-codec.ts) */
const SEGMENT_CODEC: JsonCodec<SegmentData> = {
  encode: (data) => ({ records: data.records.map(toStored) }),
  decode: (parsed) => {
    const records = (parsed as { records?: unknown }).records;
    if (!Array.isArray(records)) return { records: [] };
    for (const r of records as object[]) fromStored(r);
    return { records: records as EventRecord[] };
  },
};

export class Segment {
  bytes = 0;
  /** what its file looked like when it was found at open (the id snapshot compares it) */
  stamp: FileStamp | undefined;
  constructor(
    readonly month: string,
    readonly seq: number,
    readonly db: Low<SegmentData>,
    readonly file: string,
    /** false until its file is read: a fast start reads most files after open (lowdb-event-store.ts) */
    public loaded: boolean,
  ) {}

  get records(): EventRecord[] {
    return this.db.data.records;
  }

  get full(): boolean {
    return this.records.length >= SEGMENT_MAX_RECORDS || this.bytes >= SEGMENT_MAX_BYTES;
  }
}

/** the month bucket of an event time; anything odd goes to one bucket that retention never drops blindly */
export function monthOf(at: string): string {
  return /^\d{4}-\d{2}/.test(at) ? at.slice(0, 7) : '0000-00';
}

export class SegmentSet {
  /** per month, its segments in sequence order */
  private readonly months = new Map<string, Segment[]>();
  /** month folders known to exist on disk */
  private readonly knownDirs = new Set<string>();
  /** segments changed in memory since their last flush */
  private readonly dirty = new Set<Segment>();
  bytesWritten = 0;

  constructor(private readonly dir: string) {}

  /**
   * Finds every segment file and what it looks like on disk (inode, size, mtime) without reading it:
   * a fast start reads only the ones its id snapshot does not cover (id-snapshot.ts). Leftover temp files
   * of an interrupted write are removed.
   */
  async scan(): Promise<Segment[]> {
    await mkdir(this.dir, { recursive: true });
    const all: Segment[] = [];
    const monthDirs = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    for (const month of monthDirs) {
      const files = (await readdir(path.join(this.dir, month))).sort();
      for (const f of files.filter((n) => n.endsWith('.tmp'))) await unlink(path.join(this.dir, month, f));
      const segs = files.filter((n) => /^\d{6}\.json$/.test(n)).map((n) => this.openSegment(month, Number(n.slice(0, 6)), false));
      await Promise.all(segs.map(async (seg) => (seg.stamp = await this.stampOf(seg))));
      this.months.set(month, segs);
      this.knownDirs.add(month);
      all.push(...segs);
    }
    return all;
  }

  /** reads one segment file now (one that the id snapshot does not cover) */
  async read(seg: Segment): Promise<void> {
    if (seg.loaded) return;
    await seg.db.read();
    seg.loaded = true;
  }

  /**
   * Goes through every segment in order, reading those not read yet, and hands each to `visit` as soon as
   * it is read (the store pools its strings then, so a million freshly parsed duplicates never sit in
   * memory all at once). The next file is read from disk while `visit` works on this one. Stops early
   * (false) when `visit` says so.
   */
  async readAll(visit: (seg: Segment) => Promise<boolean | void>): Promise<boolean> {
    const all = this.list();
    let next = all[0] && this.readAhead(all[0]);
    for (let i = 0; i < all.length; i++) {
      const current = next;
      next = all[i + 1] && this.readAhead(all[i + 1]!);
      // a failed read throws here, in its turn; the read ahead of it is then dropped (already handled)
      await current;
      if ((await visit(all[i]!)) === false) {
        await next?.catch(() => undefined);
        return false;
      }
    }
    return true;
  }

  /**
   * A read started before it is awaited: marked handled at once, because it may fail (an unreadable file)
   * while `visit` is still busy with the one before, and a rejection with no handler yet is an unhandled
   * rejection that ends the process. Awaiting it later still throws the error.
   */
  private readAhead(seg: Segment): Promise<void> {
    const read = this.read(seg);
    read.catch(() => undefined);
    return read;
  }

  /** every segment, month by month, in file order */
  list(): Segment[] {
    return [...this.months.values()].flat();
  }

  /** what the segment's file looks like on disk now */
  async stampOf(seg: Segment): Promise<FileStamp> {
    const { ino, size, mtimeMs } = await stat(seg.file);
    return { ino, size, mtimeMs };
  }

  get count(): number {
    let n = 0;
    for (const segs of this.months.values()) n += segs.length;
    return n;
  }

  /** every stored record, month by month, in file order */
  *records(): Generator<EventRecord> {
    for (const segs of this.months.values()) for (const s of segs) yield* s.records;
  }

  get hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  /**
   * Puts records into the open segment of their month (opening new segments as they fill), in memory
   * only; `flush` writes them. Returns an undo for when the commit they belong to fails.
   */
  place(records: readonly EventRecord[]): () => void {
    const touched = new Map<Segment, number>();
    const created: Segment[] = [];
    for (const r of records) {
      const month = monthOf(r.at);
      let segs = this.months.get(month);
      if (!segs) this.months.set(month, (segs = []));
      let seg = segs[segs.length - 1];
      if (seg && !seg.loaded) throw new Error(`segment ${month}/${seg.seq} is not read yet: records cannot be placed before the store is loaded`);
      if (!seg || seg.full) {
        seg = this.openSegment(month, (seg?.seq ?? 0) + 1, true);
        seg.db.data = { records: [] };
        segs.push(seg);
        created.push(seg);
      }
      if (!touched.has(seg)) touched.set(seg, seg.records.length);
      seg.records.push(r);
      this.dirty.add(seg);
    }
    return () => {
      for (const [seg, len] of touched) seg.records.length = len;
      for (const seg of created) {
        const segs = this.months.get(seg.month)!;
        segs.splice(segs.indexOf(seg), 1);
        this.dirty.delete(seg);
      }
    };
  }

  /**
   * Writes every changed segment (durably). What is placed while the flush runs stays dirty for the next
   * one: each segment's content is taken when its write starts. Callers must not run two flushes at once.
   */
  async flush(): Promise<void> {
    const segments = [...this.dirty];
    this.dirty.clear();
    try {
      await this.write(segments);
    } catch (e) {
      for (const s of segments) this.dirty.add(s);
      throw e;
    }
  }

  private async write(segments: readonly Segment[]): Promise<void> {
    const newMonths = [...new Set(segments.filter((s) => !this.knownDirs.has(s.month)).map((s) => s.month))];
    if (newMonths.length > 0) {
      await Promise.all(newMonths.map((m) => mkdir(path.join(this.dir, m), { recursive: true })));
      await syncDir(this.dir); // the new folder itself must survive a power cut
      for (const m of newMonths) this.knownDirs.add(m);
    }
    // one at a time: serializing a segment blocks the event loop for about a millisecond, and doing all
    // of a busy second's segments at once would stall hook deliveries for tens of them
    for (const s of segments) await s.db.write();
  }

  /**
   * Drops every record that happened before `cutoff` (ISO): whole month folders before the cutoff month
   * are removed, segments of the cutoff month are rewritten without the old records. Returns how many
   * records were dropped.
   */
  async dropBefore(cutoff: string): Promise<number> {
    const cutoffMonth = monthOf(cutoff);
    let dropped = 0;
    for (const [month, segs] of [...this.months]) {
      if (month === '0000-00' || month > cutoffMonth) continue;
      if (month < cutoffMonth) {
        dropped += segs.reduce((n, s) => n + s.records.length, 0);
        await rm(path.join(this.dir, month), { recursive: true, force: true });
        this.months.delete(month);
        this.knownDirs.delete(month);
        continue;
      }
      for (const seg of segs) {
        const keep = seg.records.filter((r) => r.at >= cutoff);
        if (keep.length === seg.records.length) continue;
        dropped += seg.records.length - keep.length;
        seg.db.data.records = keep;
        await seg.db.write();
      }
    }
    await syncDir(this.dir);
    return dropped;
  }

  private openSegment(month: string, seq: number, loaded: boolean): Segment {
    const dir = path.join(this.dir, month);
    const file = path.join(dir, `${String(seq).padStart(6, '0')}.json`);
    let seg: Segment | undefined;
    const adapter = new DurableJsonFile<SegmentData>(
      file,
      (bytes) => {
        this.bytesWritten += bytes;
        if (seg) seg.bytes = bytes;
      },
      SEGMENT_CODEC,
    );
    seg = new Segment(month, seq, new Low(adapter, { records: [] }), file, loaded);
    return seg;
  }
}
