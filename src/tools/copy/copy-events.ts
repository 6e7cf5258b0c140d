/**
 * The events of a DATA_DIR appended to the PostgreSQL event log, in lowdb log order, in batches: the same
 * statement the PostgreSQL event store appends with (event-log-sql.ts: dedup by id under the append lock,
 * positions numbered in order), but without opening a whole replica, which would also index every copied
 * record in memory next to the lowdb store's. A record the database holds already is not stored again (a
 * second run, or a run after one that was stopped half way), and its position is read back instead: the
 * position map (position-map.ts) needs every record's.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EventRecord } from '../../domain/records.ts';
import { batchJson } from '../../store/postgres/batch-json.ts';
import { insertNew } from '../../store/postgres/event-log-sql.ts';
import { PositionMap } from './position-map.ts';

/** records per transaction: ~5 MB of JSON, big enough that the per-commit cost is noise */
export const COPY_BATCH = 5000;

export interface EventCopy {
  /** records stored by this run */
  copied: number;
  /** records the database held already */
  already: number;
  positions: PositionMap;
}

export interface CopyEventsOptions {
  batch?: number;
  /** after every batch: records done (copied or found) of the total */
  onBatch?: (done: number, total: number) => void;
}

export async function copyEvents(records: readonly EventRecord[], pool: pg.Pool, o: CopyEventsOptions = {}): Promise<EventCopy> {
  const size = o.batch ?? COPY_BATCH;
  // names this copy in the append notification, as a replica names itself (letters and digits)
  const replica = `copy${randomBytes(6).toString('hex')}`;
  const positions = new PositionMap();
  let copied = 0;
  const client = await pool.connect();
  try {
    for (let i = 0; i < records.length; i += size) {
      const batch = records.slice(i, i + size);
      const stored = await insertNew(client, batchJson([{ records: batch }]), replica);
      copied += stored.size;
      const missing = batch.filter((r) => !stored.has(r.id)).map((r) => r.id);
      if (missing.length > 0) {
        const { rows } = await client.query<{ id: string; seq: string }>('SELECT id, seq FROM events WHERE id = ANY($1::text[])', [missing]);
        for (const row of rows) stored.set(row.id, Number(row.seq));
      }
      for (const r of batch) {
        const seq = stored.get(r.id);
        // a record neither stored nor found was deleted meanwhile (retention on a bot already running on the
        // database): it has no position to translate to
        if (seq !== undefined && r.seq !== undefined) positions.add(r.seq, seq);
      }
      o.onBatch?.(Math.min(i + size, records.length), records.length);
    }
  } catch (e) {
    // a connection that broke mid-transaction is not handed out again
    client.release(e instanceof Error ? e : true);
    throw e;
  }
  client.release();
  return { copied, already: records.length - copied, positions };
}
