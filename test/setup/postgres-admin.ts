/**
 * Work on a PostgreSQL server as its admin user, outside vitest too: a fresh database per test suite
 * (test/helpers/postgres.ts) or bench part (bench/pg-server.ts), and one short connection for one piece of
 * work. Here, not in test/helpers/postgres.ts, because that one reads the server from vitest's inject().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface CreatedDatabase {
  /** DATABASE_URL of the new database (same server, user and password) */
  url: string;
  /** drops it, ending any connection still open to it */
  drop(): Promise<void>;
}

/** one short connection to `url` for one piece of work */
export async function onServer<T>(url: string, work: (c: pg.Client) => Promise<T>, applicationName = 'oig-chatops-tests'): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: applicationName });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** a new, empty database named `<prefix><random>` on the server of `serverUrl` */
export async function createDatabase(serverUrl: string, prefix: string, applicationName?: string): Promise<CreatedDatabase> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`), applicationName);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    // WITH (FORCE), PostgreSQL 13+: a pool a failed test left open must not keep the database alive
    drop: () => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), applicationName).then(() => undefined),
  };
}
