/**
 * The SQL of the PostgreSQL state journals (migrations/003-state.sql: state_journals, state_journal_ops),
 * for pg-state-journal.ts: create, read back (and rebuild the state), append a batch of changes behind the
 * fence, compact.
 */
import type pg from 'pg';
import type { JournalledState, StateKind } from '../state-journal.ts';

/** what is stored of one journal: a snapshot and the changes after it (texts, parsed by the caller) */
export interface StoredJournal {
  /** the snapshot's text; undefined when the read started after it (only the changes were asked for) */
  snapshot: string | undefined;
  snapshotSeq: number;
  lastSeq: number;
  /** the changes after the start, in order: seq and JSON text */
  ops: Array<{ seq: number; text: string }>;
}

/** creates the journal with its empty state unless it is there already (replicas may open it at once) */
export async function createJournal(pool: pg.Pool, name: string, initial: string): Promise<void> {
  await pool.query('INSERT INTO state_journals (name, snapshot_seq, last_seq, snapshot) VALUES ($1, 0, 0, $2) ON CONFLICT (name) DO NOTHING', [name, initial]);
}

/**
 * Reads the journal in one consistent snapshot of the database: the changes after `after` (the snapshot
 * too when it is newer than `after`, or when `after` is undefined), up to `upTo` (default: all).
 * Answers undefined when the journal has been compacted past `upTo` (the state at `upTo` is gone).
 */
export async function readJournal(pool: pg.Pool, name: string, after?: number, upTo?: number): Promise<StoredJournal | undefined> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const head = await client.query<{ snapshot_seq: string; last_seq: string; snapshot: string | null }>(
      'SELECT snapshot_seq, last_seq, CASE WHEN $2::bigint IS NULL OR snapshot_seq > $2 THEN snapshot::text END AS snapshot FROM state_journals WHERE name = $1',
      [name, after ?? null],
    );
    const row = head.rows[0];
    if (!row) throw new Error(`the state journal ${name} is not in the database`);
    const snapshotSeq = Number(row.snapshot_seq);
    const lastSeq = Number(row.last_seq);
    if (upTo !== undefined && snapshotSeq > upTo) {
      await client.query('COMMIT');
      return undefined;
    }
    const from = row.snapshot !== null ? snapshotSeq : after!;
    const end = upTo ?? lastSeq;
    const { rows } = await client.query<[string, string]>({
      text: 'SELECT seq, op::text FROM state_journal_ops WHERE name = $1 AND seq > $2 AND seq <= $3 ORDER BY seq',
      values: [name, from, end],
      rowMode: 'array',
    });
    await client.query('COMMIT');
    const ops = rows.map(([seq, text]) => ({ seq: Number(seq), text }));
    // the fence keeps the changes contiguous: a gap is damage, not something to skip over silently
    ops.forEach((o, i) => {
      if (o.seq !== from + i + 1) throw new Error(`the state journal ${name} misses change ${from + i + 1} (found ${o.seq}): the database was changed by hand`);
    });
    if (from + ops.length !== Math.max(from, end)) throw new Error(`the state journal ${name} ends at change ${from + ops.length}, its head says ${end}`);
    return { snapshot: row.snapshot ?? undefined, snapshotSeq, lastSeq, ops };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Appends changes after `from` in one statement: the head moves from `from` to the last of them only if
 * it still is at `from` (no other writer since), and the rows go in only with it. Answers how many went
 * in: 0 means another writer moved the head (nothing was written).
 */
export async function appendOps(pool: pg.Pool, name: string, from: number, texts: readonly string[]): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH head AS (
       UPDATE state_journals SET last_seq = $3, updated_at = now() WHERE name = $1 AND last_seq = $2 RETURNING 1
     )
     INSERT INTO state_journal_ops (name, seq, op)
     SELECT $1, $2 + o.ord, o.value FROM head, json_array_elements($4::json) WITH ORDINALITY AS o(value, ord)`,
    [name, from, from + texts.length, `[${texts.join(',')}]`],
  );
  return rowCount ?? 0;
}

/**
 * Replaces the snapshot with the state through `seq` and deletes the changes it holds, in one
 * transaction; only while the head is at `seq` (this process is still the writer). Answers false when it
 * was not.
 */
export async function compactJournal(pool: pg.Pool, name: string, seq: number, snapshot: string): Promise<boolean> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query('UPDATE state_journals SET snapshot = $3, snapshot_seq = $2, updated_at = now() WHERE name = $1 AND last_seq = $2', [name, seq, snapshot]);
    if (rowCount !== 1) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query('DELETE FROM state_journal_ops WHERE name = $1 AND seq <= $2', [name, seq]);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** the state a stored journal holds: its snapshot decoded, its changes applied in order */
export function rebuild<S extends JournalledState<Op>, Op>(kind: StateKind<S>, stored: StoredJournal): S {
  const state = kind.decode(JSON.parse(stored.snapshot!));
  for (const o of stored.ops) state.apply(JSON.parse(o.text) as Op);
  return state;
}
