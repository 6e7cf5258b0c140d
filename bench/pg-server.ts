/**
 * The PostgreSQL server the bench's PostgreSQL rows run on, and a fresh database for each part.
 *
 *   - DATABASE_URL set: that server, as it is (its user must be allowed to CREATE DATABASE).
 *   - Otherwise, when Debian's PostgreSQL is installed: a throw-away cluster started the way the test
 *     suite starts one (test/setup/postgres-cluster.ts), then made durable again (fsync, synchronous
 *     commit, full page writes: the test cluster turns them off to be quick, but the lowdb rows fsync
 *     every commit, and a managed PostgreSQL does too), stopped at the end.
 *   - Neither: `skipped` says why, and the bench runs the lowdb rows alone.
 */
import type pg from 'pg';
import { createDatabase, onServer, type CreatedDatabase } from '../test/setup/postgres-admin.ts';
import { newestPostgresBin, startCluster, sweepOrphans } from '../test/setup/postgres-cluster.ts';

const BENCH_APP = 'oig-chatops-bench';

export const SKIPPED = 'skipped: no PostgreSQL (set DATABASE_URL or install postgresql)';

export interface BenchServer {
  /** a server URL whose user may CREATE DATABASE (holds a password: never print it) */
  url: string;
  /** where it came from, for the table */
  origin: 'DATABASE_URL' | 'throw-away cluster';
  stop(): Promise<void>;
}

/** the server to run on, or undefined when there is none (then print SKIPPED) */
export async function benchServer(databaseUrl = process.env.DATABASE_URL): Promise<BenchServer | undefined> {
  if (databaseUrl) return { url: databaseUrl, origin: 'DATABASE_URL', stop: async () => undefined };
  const bin = newestPostgresBin();
  if (!bin) return undefined;
  await sweepOrphans(bin);
  const cluster = await startCluster(bin);
  try {
    // ALTER SYSTEM (postgresql.auto.conf) overrides the test cluster's postgresql.conf; all three take a reload
    await admin(cluster.url, async (c) => {
      for (const setting of ['fsync = on', 'synchronous_commit = on', 'full_page_writes = on']) await c.query(`ALTER SYSTEM SET ${setting}`);
      await c.query('SELECT pg_reload_conf()');
    });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return { url: cluster.url, origin: 'throw-away cluster', stop: cluster.stop };
}

export type BenchDatabase = CreatedDatabase;

/** a new, empty database on the server, for one bench part */
export function freshDatabase(serverUrl: string, part: string): Promise<BenchDatabase> {
  return createDatabase(serverUrl, `oig_bench_${part.replace(/[^a-z0-9]/g, '')}_`, BENCH_APP);
}

/** one short connection for one piece of work */
export function admin<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  return onServer(url, work, BENCH_APP);
}

/** runs `work` on a fresh database of the server, dropped after (also when `work` throws) */
export async function withDatabase<T>(serverUrl: string, part: string, work: (url: string) => Promise<T>): Promise<T> {
  const db = await freshDatabase(serverUrl, part);
  try {
    return await work(db.url);
  } finally {
    await db.drop();
  }
}
