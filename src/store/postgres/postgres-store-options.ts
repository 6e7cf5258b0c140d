/**
 * What the PostgreSQL event store (postgres-event-store.ts) can be told, and the defaults of its tuning:
 * how big the pages of the start-up load and the tail are, and how often a replica looks for rows the
 * others appended.
 */
import type { Logger } from 'pino';
import type { WriteKind } from '../write-health.ts';
import type { Database } from './database.ts';

export const DAY_MS = 86_400_000;
/** rows per query of the start-up load and the tail: big enough to be cheap per row, small enough to yield often */
export const PAGE_ROWS = 20_000;
/** records parsed and indexed between two turns of the event loop (about 20 ms of work on a busy 2-core machine) */
export const SLICE_ROWS = 2000;
/** how often a replica reads what the others appended when no notification came (LISTEN is the fast path) */
export const POLL_MS = 1000;
/** a log this long or shorter loads in moments: its load is not held back (loadDelayMs) */
export const SMALL_LOG = 100_000;

export interface PostgresEventStoreOptions {
  /** DATABASE_URL: the store opens its own pool, and closes it */
  url?: string;
  /** or a database the process shares between its PostgreSQL stores (not closed by close()) */
  database?: Database;
  log: Logger;
  retentionDays: number;
  pollMs?: number;
  /**
   * waits this long after open() before loading a log longer than SMALL_LOG (default 0): the bot gives its
   * first moments to listening and the first delivery (Okta retries a failed one only once), not to parsing
   */
  loadDelayMs?: number;
  pageRows?: number;
  /** told about every failed write (a metric) */
  onWriteFailure?: (kind: WriteKind) => void;
}
