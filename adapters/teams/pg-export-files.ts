/**
 * The export files in PostgreSQL (DATABASE_URL; migrations/005-csv-exports.sql), shared by every replica:
 * the replica that made the export, the one the download link reaches and the one that turns a channel
 * answer's view id into the link may all differ behind a load balancer (issue 13 §2).
 *
 * The caps hold across replicas: an add runs in one transaction that locks the table against other
 * writers (readers go on), deletes expired files, inserts, then deletes the oldest files beyond the caps.
 * Two replicas adding at once would otherwise each count without the other's file and both stay over.
 * Views go with their file (ON DELETE CASCADE).
 *
 * The clock is this process's (injected in tests): replicas' clocks differ by far less than the hour a
 * link lives.
 */
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import { loggableError } from '../../src/store/postgres/connection-error.ts';
import type { Database } from '../../src/store/postgres/database.ts';
import {
  EXPORT_LIMITS, EXPORT_TTL_MS, newToken, type Download, type ExportFile, type ExportFiles, type ExportFilesOptions, type ExportLimits, type ExportLink,
} from './export-files.ts';

export interface PgExportFilesOptions extends ExportFilesOptions {
  database: Database;
  log: Logger;
}

// SHARE ROW EXCLUSIVE conflicts with itself and with INSERT/DELETE, not with SELECT: adds are one at a time
const LOCK = 'LOCK TABLE csv_exports IN SHARE ROW EXCLUSIVE MODE';
const PRUNE_EXPIRED = 'DELETE FROM csv_exports WHERE expires_at <= $1';
const INSERT = `INSERT INTO csv_exports (token, filename, title, row_count, body, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)`;
// a file stays while it and every newer one fit both caps; the one just added always stays
const PRUNE_OVER_CAPS = `DELETE FROM csv_exports WHERE id IN (
  SELECT id FROM (
    SELECT id, token, count(*) OVER newest_first AS files, sum(bytes) OVER newest_first AS total
    FROM csv_exports WINDOW newest_first AS (ORDER BY id DESC ROWS UNBOUNDED PRECEDING)
  ) kept WHERE (files > $1 OR total > $2) AND token <> $3)`;
// nothing is inserted for a file already gone: such a view resolves to nothing, as an expired one does
const ADD_VIEW = 'INSERT INTO csv_export_views (view_id, token, owner_id) SELECT $1, token, $3 FROM csv_exports WHERE token = $2';
const LINK = `SELECT e.token, e.title, e.row_count FROM csv_export_views v JOIN csv_exports e ON e.token = v.token
WHERE v.view_id = $1 AND v.owner_id = $2 AND e.expires_at > $3`;
const GET = 'SELECT filename, title, row_count, body, expires_at FROM csv_exports WHERE token = $1 AND expires_at > $2';

/** PostgreSQL's foreign_key_violation: the file was pruned between the view's SELECT and its INSERT */
const FK_VIOLATION = '23503';

export class PgExportFiles implements ExportFiles {
  private readonly now: () => number;
  private readonly limits: ExportLimits;

  constructor(private readonly o: PgExportFilesOptions) {
    this.now = o.now ?? Date.now;
    this.limits = o.limits ?? EXPORT_LIMITS;
  }

  async add(file: Download): Promise<string> {
    const token = newToken();
    const now = this.now();
    const client = await this.o.database.pool.connect().catch((err: unknown) => this.fail('store', err));
    // a checked-out client has no pool listener: a connection lost mid-transaction must not crash the process
    const onError = () => undefined;
    client.on('error', onError);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      await client.query(LOCK);
      await client.query(PRUNE_EXPIRED, [new Date(now)]);
      await client.query(INSERT, [token, file.filename, file.title, file.rows, Buffer.from(file.csv, 'utf8'), new Date(now + EXPORT_TTL_MS)]);
      await client.query(PRUNE_OVER_CAPS, [this.limits.maxFiles, this.limits.maxBytes, token]);
      await client.query('COMMIT');
      return token;
    } catch (err) {
      broken = err;
      await client.query('ROLLBACK').catch(() => undefined);
      return this.fail('store', err);
    } finally {
      client.off('error', onError);
      // a client whose transaction failed may be mid-protocol: discard it rather than pool it
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async viewFor(token: string, owner: string): Promise<string> {
    const view = newToken();
    try {
      await this.o.database.pool.query(ADD_VIEW, [view, token, owner]);
    } catch (err) {
      if ((err as { code?: unknown }).code !== FK_VIOLATION) this.fail('store', err);
    }
    return view;
  }

  async linkOf(view: string, userId: string | undefined): Promise<ExportLink | undefined> {
    if (userId === undefined) return undefined;
    const r = await this.o.database.pool
      .query<{ token: string; title: string; row_count: number }>(LINK, [view, userId, new Date(this.now())])
      .catch((err: unknown) => this.fail('read', err));
    const row = r.rows[0];
    return row && { token: row.token, title: row.title, rows: row.row_count };
  }

  async get(token: string): Promise<ExportFile | undefined> {
    const r = await this.o.database.pool
      .query<{ filename: string; title: string; row_count: number; body: Buffer; expires_at: Date }>(GET, [token, new Date(this.now())])
      .catch((err: unknown) => this.fail('read', err));
    const row = r.rows[0];
    return row && { filename: row.filename, title: row.title, rows: row.row_count, body: row.body, expiresAt: row.expires_at.getTime() };
  }

  /** logs what PostgreSQL said and throws what a user can act on (the HTTP router answers it 503) */
  private fail(what: 'store' | 'read', err: unknown): never {
    this.o.log.warn({ err: loggableError(err) }, `could not ${what} a Teams export in PostgreSQL`);
    throw new AppError('EXPORTS_UNAVAILABLE', `The export could not be ${what === 'store' ? 'stored in' : 'read from'} the database (the bot's log says why). Try again in a moment.`, 503);
  }
}
