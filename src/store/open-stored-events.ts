/**
 * The two ways an event store opens (lowdb-event-store.ts). A small store, or one without a usable id
 * snapshot, is loaded whole before open() resolves. A big one with a snapshot opens once it knows every
 * stored id and the last log position (background-load.ts), and its records load afterwards
 * (`loadRecords`), while appends go on. Both put back what a crash left in the log files only.
 */
import path from 'node:path';
import type { EventRecord } from '../domain/records.ts';
import { AppError } from '../errors.ts';
import { BackgroundLoad, knownIds } from './background-load.ts';
import type { BetweenCommits } from './checkpoints.ts';
import { EventIndexes } from './event-indexes.ts';
import { ID_SNAPSHOT_FILE, readSnapshot, type IdSnapshot } from './id-snapshot.ts';
import { readPositionFloor } from './log-position.ts';
import type { LogFiles } from './log-files.ts';
import type { Segment, SegmentSet } from './segments.ts';
import type { StringPool } from './string-pool.ts';

/** the stored records could not be read: appends are refused, the files need a look */
export class StoreLoadError extends AppError {
  constructor(cause: unknown) {
    super('STORE_LOAD_FAILED', `the event store could not load its files: ${cause instanceof Error ? cause.message : String(cause)}`, 503);
  }
}

/**
 * From this many segment files (~16k records, a load of a few tenths of a second) open() resolves before
 * the records are loaded; below it, it loads them first, as a small store is simplest read complete.
 */
const BACKGROUND_LOAD_FROM = 64;

/** what opening reads and fills */
export interface StoredEvents {
  dataDir: string;
  segments: SegmentSet;
  logs: LogFiles;
  strings: StringPool;
}

export interface OpenOptions {
  /** segment files from which records load after open() (default 64); 0: always in the background */
  backgroundLoadFrom?: number;
  /** told why the id snapshot could not be used (the store then loads everything before appending) */
  onSnapshotUnusable?: (why: string) => void;
}

/** what an open store starts from */
export interface Opened {
  /** the highest log position on disk (at least the one retention wrote down) */
  position: number;
  /** the log files found, oldest first: covered once a checkpoint has written their records to segments */
  logs: number[];
  /** every record indexed; on a fast start empty, for `loadRecords` to fill */
  indexes: EventIndexes;
  /** on a fast start, the load to come and what is known meanwhile */
  load: BackgroundLoad | undefined;
  /** stored records that the id snapshot does not hold */
  sinceSnapshot: number;
  /** a big store without a usable snapshot: one should be written now, so the next start is a fast one */
  snapshotNow: boolean;
}

/**
 * Reads what the store needs before it takes appends: with BACKGROUND_LOAD_FROM segment files or more
 * and a usable id snapshot, only the ids and the last log position; otherwise every record and index.
 */
export async function openStoredEvents(stored: StoredEvents, options: OpenOptions): Promise<Opened> {
  const floor = await readPositionFloor(stored.dataDir);
  const found = await stored.segments.scan();
  const logs = await stored.logs.found();
  const big = found.length >= (options.backgroundLoadFrom ?? BACKGROUND_LOAD_FROM);
  const snapshot = big ? await usableSnapshot(stored.dataDir, options.onSnapshotUnusable) : undefined;
  const opened = snapshot ? await openFromSnapshot(stored, snapshot, found, logs) : await loadAll(stored, logs);
  return { ...opened, position: Math.max(floor, opened.position), logs, snapshotNow: big && !snapshot };
}

type Read = Pick<Opened, 'position' | 'indexes' | 'load' | 'sinceSnapshot'>;

/** the id snapshot, when its file is whole and of this version (else the reason goes to the operator) */
async function usableSnapshot(dataDir: string, onUnusable?: (why: string) => void): Promise<IdSnapshot | undefined> {
  const { snapshot, problem } = await readSnapshot(path.join(dataDir, ID_SNAPSHOT_FILE));
  if (problem) onUnusable?.(problem);
  return snapshot;
}

/** every record and index now (a small store, or no usable snapshot) */
async function loadAll(stored: StoredEvents, logs: readonly number[]): Promise<Read> {
  const { segments, strings } = stored;
  let position = 0;
  await segments.readAll(async (seg) => {
    for (const r of seg.records) {
      strings.pool(r);
      if (r.seq !== undefined && r.seq > position) position = r.seq;
    }
  });
  const indexes = indexSegments(segments);
  // a crash leaves committed records in the log that no segment has yet: put them back
  const replayed = await replayLogs(stored, logs, (id) => indexes.byId.has(id));
  segments.place(replayed.fresh);
  indexes.addAll(replayed.fresh);
  // a store that had no usable snapshot: its records count towards the first one
  return { position: Math.max(position, replayed.lastSeq), indexes, load: undefined, sinceSnapshot: indexes.byId.size };
}

/** fast start: ids and position only (background-load.ts) */
async function openFromSnapshot(stored: StoredEvents, snapshot: IdSnapshot, found: readonly Segment[], logs: readonly number[]): Promise<Read> {
  const { known, lastSeq, readNow } = await knownIds(found, snapshot, (seg) => stored.segments.read(seg));
  const load = new BackgroundLoad(known);
  const replayed = await replayLogs(stored, logs, (id) => known.has(id));
  load.committed(replayed.fresh);
  return { position: Math.max(lastSeq, replayed.lastSeq), indexes: new EventIndexes(), load, sinceSnapshot: readNow + replayed.fresh.length };
}

/**
 * Records committed to the log but in no segment yet (a crash before a checkpoint), strings pooled;
 * damaged lines reported, their files set aside at the next checkpoint (log-files.ts).
 */
async function replayLogs(stored: StoredEvents, logs: readonly number[], known: (id: string) => boolean): Promise<{ fresh: EventRecord[]; lastSeq: number }> {
  const replayed = await stored.logs.replay(logs, known);
  for (const r of replayed.fresh) stored.strings.pool(r);
  return replayed;
}

/** indexes of every record in the segments (at open, and after retention dropped some) */
export function indexSegments(segments: SegmentSet): EventIndexes {
  const indexes = new EventIndexes();
  indexes.addAll([...segments.records()]);
  return indexes;
}

/**
 * Reads and indexes every segment, with a turn of the event loop after each (a segment is a few ms of
 * work: deliveries wait no longer than that; yielding less often measured no faster at 1M). Then,
 * between two commits, the records committed meanwhile are placed and indexed after the rest, and
 * `finished` lets the store index its next commits itself. A cancelled load stops at the next segment.
 */
export async function loadRecords(
  load: BackgroundLoad,
  into: { segments: SegmentSet; strings: StringPool; indexes: EventIndexes; commits: BetweenCommits },
  finished: () => void,
): Promise<void> {
  const { segments, strings, indexes, commits } = into;
  const done = await segments.readAll(async (seg) => {
    if (load.cancelled) return false;
    for (const r of seg.records) strings.pool(r);
    indexes.addLoaded(seg.records);
    load.loaded += seg.records.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
  });
  if (!done || load.cancelled) return;
  await commits.exclusive(async () => {
    if (load.cancelled) return;
    indexes.finishLoad();
    segments.place(load.pending);
    indexes.addAll(load.pending);
    finished();
  });
}
