/**
 * The log position survives retention (DATA_DIR/events/position.json). Positions are derived at start from
 * the records on disk, but if retention dropped the newest ones (old events backfilled late hold the
 * highest positions), new records must still get positions after them, or routing would take them for
 * routed already. So retention writes the position down before it drops anything, and start-up begins
 * from the larger of the two.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventRecord } from '../domain/records.ts';
import { writeDurably } from './durable-json-file.ts';

const fileIn = (dataDir: string) => path.join(dataDir, 'events', 'position.json');

/** the position written down last (0 when none) */
export async function readPositionFloor(dataDir: string): Promise<number> {
  try {
    const { lastSeq } = JSON.parse(await readFile(fileIn(dataDir), 'utf8')) as { lastSeq?: unknown };
    return typeof lastSeq === 'number' ? lastSeq : 0;
  } catch {
    return 0;
  }
}

export async function writePositionFloor(dataDir: string, lastSeq: number): Promise<void> {
  await writeDurably(fileIn(dataDir), JSON.stringify({ lastSeq }));
}

/**
 * The record with its log-position field from birth (a copy when it has none yet). Giving a million records
 * a new property after they were built moved V8 to new hidden classes, and every scan over them (/oig
 * revokes at 1M) became about five times slower; a field that is there from the start only changes value.
 */
export function withPositionSlot(r: EventRecord): EventRecord {
  return r.seq === undefined ? { seq: 0, ...r } : r;
}
