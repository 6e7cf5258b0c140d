/**
 * The PostgreSQL server of the test run (test/setup/postgres-cluster.ts: DATABASE_URL, or a throw-away
 * cluster) and a fresh, empty database per test or suite on it, so suites never see each other's rows and
 * may run in parallel. Suites that need the server use describePg: skipped, with the reason printed once
 * by the setup, where there is none.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

/** a server URL whose user may CREATE DATABASE, or '' */
export const pgServerUrl: string = inject('pgServerUrl') ?? '';

export const pgAvailable: boolean = pgServerUrl !== '';

/** describe when a PostgreSQL server is there, describe.skip otherwise */
export const describePg: typeof describe = pgAvailable ? describe : (describe.skip as typeof describe);

export interface FreshDatabase {
  /** DATABASE_URL of the new database (same server, user and password) */
  url: string;
  /** drops it, ending any connection still open to it */
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  if (!pgAvailable) throw new Error('freshDatabase() needs a PostgreSQL server: use describePg');
  const name = `oig_t_${randomBytes(6).toString('hex')}`;
  await asAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(pgServerUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    // WITH (FORCE), PostgreSQL 13+: a pool a failed test left open must not keep the database alive
    drop: () => asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** runs one thing on the server's own database as the run's (admin) user */
export async function asAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: pgServerUrl, application_name: 'oig-chatops-tests' });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}
