/**
 * A fast start's first step and its bookkeeping (issue 13: the hook answers within 2 s of a start at 1M
 * events, and Okta retries a failed delivery only once).
 *
 * Measured at 1M events on these 2-core machines (bench/store-1m.ts), a full load was about 20 s: reading
 * the segment files ~2 s, JSON.parse ~8 s, pooling strings ~2.5 s, building the indexes ~6 s, replaying the
 * log nothing after a clean stop. None of it can be made 10x cheaper, but appending only needs two things:
 * every stored id (to refuse duplicates exactly) and the last log position. Both come from the id snapshot
 * (id-snapshot.ts) plus the few segment files written since it, plus the log: well under a second. The
 * records and indexes then load in the background, a segment at a time, yielding to the event loop so the
 * HTTP server keeps answering; what is committed meanwhile is durable in the log, refused as a duplicate
 * through `known`, and indexed once, after everything else, when the load ends (open-stored-events.ts).
 */
import type { EventRecord } from '../domain/records.ts';
import { IdKeySet } from './id-keys.ts';
import { sameStamp, type IdSnapshot } from './id-snapshot.ts';
import type { Segment } from './segments.ts';

export class BackgroundLoad {
  /** records committed while loading (replayed from the log, or appended): indexed when the load ends */
  readonly pending: EventRecord[] = [];
  /** records of the segment files indexed so far */
  loaded = 0;
  /** set by close(): the load stops at the next segment, and nothing is checkpointed */
  cancelled = false;

  /** @param known every id in the segment files (then every id committed, as it is) */
  constructor(readonly known: IdKeySet) {}

  /** a committed record that must be indexed when the load ends (and is known as stored from now on) */
  committed(records: readonly EventRecord[]): void {
    for (const r of records) {
      this.known.add(r.id);
      this.pending.push(r);
    }
  }
}

/**
 * The ids in the segment files: from the snapshot where a file still looks as it did when the snapshot
 * was taken, else by reading the file now (`read`). Returns them, and the highest log position seen.
 */
export async function knownIds(
  segments: readonly Segment[],
  snapshot: IdSnapshot,
  read: (seg: Segment) => Promise<void>,
): Promise<{ known: IdKeySet; lastSeq: number; readNow: number }> {
  const taken = new Map(snapshot.segments.map((s) => [`${s.month}/${s.seq}`, s]));
  const known = new IdKeySet(snapshot.segments.reduce((n, s) => n + s.keys.length / 4, 0) + 4096);
  let lastSeq = snapshot.lastSeq;
  let readNow = 0;
  for (const seg of segments) {
    const s = taken.get(`${seg.month}/${seg.seq}`);
    if (s && seg.stamp && sameStamp(s, seg.stamp)) {
      known.addKeys(s.keys);
      continue;
    }
    // written since the snapshot (or new): its ids come from the file itself
    await read(seg);
    readNow++;
    for (const r of seg.records) {
      known.add(r.id);
      if (r.seq !== undefined && r.seq > lastSeq) lastSeq = r.seq;
    }
  }
  return { known, lastSeq, readNow };
}
