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
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newestPostgresBin, startCluster, sweepOrphans } from '../test/setup/postgres-cluster.ts';

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

export interface BenchDatabase {
  /** DATABASE_URL of the new database: same server, user and password */
  url: string;
  /** drops it, ending connections still open to it */
  drop(): Promise<void>;
}

/** a new, empty database on the server, for one bench part */
export async function freshDatabase(serverUrl: string, part: string): Promise<BenchDatabase> {
  const name = `oig_bench_${part.replace(/[^a-z0-9]/g, '')}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** one short connection for one piece of work */
export async function admin<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'oig-chatops-bench' });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
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
