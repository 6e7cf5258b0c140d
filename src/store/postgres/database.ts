/**
 * The connection to PostgreSQL (DATABASE_URL, SPEC §9): one pg.Pool for the process, opened with one real
 * connection first so that a wrong host, password, database or SSL setting stops start-up with one clear
 * line (connection-error.ts) instead of failing the first query much later.
 *
 * A pool's idle clients can lose their server connection at any time (a failover, an idle timeout at a
 * proxy, pg_terminate_backend): pg then emits 'error' on the pool, and an 'error' event nobody listens to
 * kills the process. Here it is logged; the pool drops that client and opens a new one when next needed.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { connectionFailure, describeTarget } from './connection-error.ts';

export interface Database {
  pool: pg.Pool;
  /** ends every pooled connection; calling it again waits for the same end */
  close(): Promise<void>;
}

export interface OpenOptions {
  log?: Logger;
  /** most connections this process holds (default 10) */
  max?: number;
  /** shown in pg_stat_activity next to each connection (default "oig-chatops") */
  applicationName?: string;
  /** how long a connection attempt may take, also a wait for a free pooled client (default 10 s) */
  connectTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function openDatabase(url: string, o: OpenOptions = {}): Promise<Database> {
  const timeoutMs = o.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const config: pg.PoolConfig = {
    connectionString: url,
    max: o.max ?? 10,
    application_name: o.applicationName ?? 'oig-chatops',
    connectionTimeoutMillis: timeoutMs,
    // managed databases sit behind NATs and proxies that drop silent connections
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  };

  const probe = (() => {
    try {
      return new pg.Client(config);
    } catch (err) {
      // pg-connection-string reads sslrootcert/sslcert/sslkey files while parsing
      throw connectionFailure(err, describeTarget(url), timeoutMs);
    }
  })();
  const target = describeTarget(url, probe);
  // a probe that failed may still emit 'error' as its socket closes: not a reason to crash
  probe.on('error', () => undefined);
  let version: string | undefined;
  try {
    await probe.connect();
    version = (await probe.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  } catch (err) {
    throw connectionFailure(err, target, timeoutMs);
  } finally {
    await probe.end().catch(() => undefined);
  }

  const pool = new pg.Pool(config);
  pool.on('error', (err: Error & { code?: string }) => {
    o.log?.warn(
      { code: err.code, err: target.redact(err.message), host: target.host, database: target.database },
      'a pooled PostgreSQL connection failed while idle; it is dropped and a new one opened when needed',
    );
  });
  o.log?.info({ host: target.host, port: target.port, user: target.user, database: target.database, version }, 'connected to PostgreSQL');

  let closing: Promise<void> | undefined;
  return {
    pool,
    close: () => (closing ??= pool.end()),
  };
}
