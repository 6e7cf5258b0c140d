/**
 * The SQL of the PostgreSQL event log (migrations/002-events.sql): appends that give contiguous positions
 * in commit order, and pages of the log read back.
 *
 * Positions follow commit order, or a replica that tails `seq > last` could read 7 before the transaction
 * that took 6 commits, and never see 6. Every append numbers its rows from the one-row counter
 * (event_log.last_seq), whose row lock is held until COMMIT, and COMMIT makes the rows visible before
 * any lock is released: whoever sees position n sees every position below it. Every append also takes
 * one transaction advisory lock first, so its duplicate check (NOT EXISTS) reads a snapshot taken after
 * the previous append committed: the same event sent to two replicas at once is found stored, instead
 * of being refused only by the primary key after it took a position: positions stay contiguous, and a
 * replica whose own commit continues what it has read indexes it without a read (log-mirror.ts). Group commit (one
 * transaction for every append that queued meanwhile) keeps the cost of this lock per event small.
 */
import type pg from 'pg';
import type { EventRecord } from '../../domain/records.ts';

/** the transaction advisory lock every append takes (pg_advisory_xact_lock, one bigint key space) */
export const APPEND_LOCK = 7_260_913_013;
/** the channel an append notifies at commit, so other replicas read the new rows at once */
export const EVENTS_CHANNEL = 'oig_events';

/**
 * Stores the records of `json` (a JSON array: batch-json.ts, whose `candidates` are its elements in order) that the table does not hold yet, numbered from the
 * counter in array order; answers the id and position of each row stored. The primary key has the last
 * word (ON CONFLICT DO NOTHING): a row is stored once whichever replica wins. Each record's id and time
 * come as arrays beside the JSON ($2, $3, in array order): `->>` on a json value parses it again each time,
 * and three such reads per record cost more than the commit's fsync (bench/pg-intake.ts).
 */
const INSERT_NEW = `
WITH input AS (
  SELECT e.value AS record, e.ord, k.id, k.at
  FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ord)
  JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(id, at, ord) ON k.ord = e.ord
), fresh AS (
  SELECT i.record, i.id, i.at, row_number() OVER (ORDER BY i.ord) AS n
  FROM input i WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = i.id)
), counter AS (
  UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM fresh)
  RETURNING last_seq - (SELECT count(*) FROM fresh) AS base
)
INSERT INTO events (id, seq, at, record)
SELECT f.id, counter.base + f.n, f.at,
       '{"seq":' || (counter.base + f.n) || ',' || substr(ltrim(f.record::text), 2)
FROM fresh f, counter
ON CONFLICT (id) DO NOTHING
RETURNING id, seq`;

/**
 * The rows `INSERT_NEW` stored: id → position. `replica` (letters and digits) is the notification's payload,
 * so a replica can tell its own appends from the others'.
 */
export async function insertNew(client: pg.PoolClient, batch: { json: string; candidates: readonly (readonly EventRecord[])[] }, replica: string): Promise<Map<string, number>> {
  const records = batch.candidates.flat();
  const ids = records.map((r) => r.id);
  const ats = records.map((r) => r.at ?? '');
  await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
  try {
    const { rows } = await client.query<{ id: string; seq: string }>(INSERT_NEW, [batch.json, ids, ats]);
    // NOTIFY is delivered at COMMIT, and only if it commits
    await client.query(rows.length > 0 ? `NOTIFY ${EVENTS_CHANNEL}, '${replica}'; COMMIT` : 'COMMIT');
    return new Map(rows.map((r) => [r.id, Number(r.seq)]));
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * One page of the log after a position: the record texts in log order, parsed by the caller in slices
 * (parsing is most of a load's time, and the hook must keep answering in between). The text starts with
 * the record's seq (INSERT_NEW), the shape withPositionSlot gives records in memory. Measured at 100k:
 * one string_agg of the page parsed in one JSON.parse call was no faster than a parse per row, and an
 * ORDER BY inside string_agg sorted the page's megabytes again, past work_mem (bench/postgres-store.ts).
 */
const PAGE_AFTER = 'SELECT seq, record FROM events WHERE seq > $1 ORDER BY seq LIMIT $2';

export interface LogPage {
  /** record texts, in log order */
  texts: string[];
  /** the position of the page's last row (the position asked after when the page is empty) */
  last: number;
}

export async function readPage(pool: pg.Pool, after: number, limit: number): Promise<LogPage> {
  const { rows } = await pool.query<[string, string]>({ text: PAGE_AFTER, values: [after, limit], rowMode: 'array' });
  const texts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) texts[i] = rows[i]![1];
  return { texts, last: rows.length > 0 ? Number(rows[rows.length - 1]![0]) : after };
}

/** the last position given out, and the cutoff of the latest retention run (which every replica applies to its memory) */
export async function readLogState(pool: pg.Pool): Promise<{ lastSeq: number; retainedBefore: string | undefined }> {
  const { rows } = await pool.query<{ last_seq: string; retained_before: string | null }>('SELECT last_seq, retained_before FROM event_log');
  return { lastSeq: Number(rows[0]?.last_seq ?? 0), retainedBefore: rows[0]?.retained_before ?? undefined };
}

export async function countEvents(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0]?.n ?? 0;
}

/** deletes the events before `cutoff` and writes the cutoff down for the other replicas; answers how many */
export async function deleteBefore(pool: pg.Pool, cutoff: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE event_log SET retained_before = greatest(coalesce(retained_before, $1), $1)', [cutoff]);
    const { rowCount } = await client.query('DELETE FROM events WHERE at < $1', [cutoff]);
    await client.query('COMMIT');
    return rowCount ?? 0;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
