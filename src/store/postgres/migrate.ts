/**
 * Brings the database schema up to this code's version at start: the migration files not yet applied run
 * in number order, each in its own transaction together with its row in schema_migrations (version, name,
 * sha256, time), so a crash mid-way leaves every file either wholly applied and recorded or not at all.
 *
 * Replicas start together (a Deployment rolled out, ECS tasks scaled): the whole run holds a session-level
 * advisory lock, so one replica migrates while the others wait for it and then find nothing to do. A
 * session lock (not one per transaction) because the check of what is applied and the applying must be
 * one critical section; the session ends with the run (the client is discarded), which frees the lock
 * even if unlocking failed.
 *
 * Two states stop start-up instead of being "repaired": an applied file that has changed since (the
 * database does not have the schema the code believes), and a database with a migration this code does
 * not know (a newer version ran against it; an older bot must not write into a newer schema).
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { Database } from './database.ts';
import { readMigrations, type MigrationFile } from './migration-files.ts';

/** pg_advisory_lock key of the migration run: "oig:migr" in ASCII, fixed for every version of the bot */
export const MIGRATION_LOCK_KEY = '8028061311406008178';

export interface MigrateOptions {
  log?: Logger;
  /** the folder of NNN-name.sql files; tests use their own (default: migrations/ next to this module) */
  dir?: string;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export async function migrate(db: Database, o: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const files = await readMigrations(o.dir);
  const client = await db.pool.connect();
  // a checked-out client has no pool listener: a connection lost between two statements must not crash
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on('error', onError);
  try {
    await lock(client, o.log);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text NOT NULL,
         checksum   text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = (await client.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
    checkApplied(done, files);
    const applied: string[] = [];
    for (const m of files.filter((f) => !done.some((d) => d.version === f.version))) {
      await applyOne(client, m, o.log);
      applied.push(m.file);
    }
    if (applied.length === 0) o.log?.debug({ version: files.at(-1)?.version }, 'database schema is up to date');
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.off('error', onError);
    // discarded rather than pooled: a migration may have changed session settings, and ending the
    // session is what surely frees the advisory lock
    client.release(lost ?? true);
  }
}

async function lock(client: pg.PoolClient, log: Logger | undefined): Promise<void> {
  const got = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
  if (got.rows[0]?.locked) return;
  log?.info('another process is migrating this database; waiting for it');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
}

function checkApplied(done: AppliedRow[], files: MigrationFile[]): void {
  const newer = done.filter((d) => !files.some((f) => f.version === d.version));
  if (newer.length > 0) {
    const names = newer.map((d) => `${pad(d.version)}-${d.name}`).join(', ');
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `the database has migration ${names}, which this version of oig-chatops does not know: a newer version has upgraded it; run that version or a later one (an older bot must not write a newer schema)`,
    );
  }
  for (const d of done) {
    const f = files.find((x) => x.version === d.version)!;
    if (f.checksum !== d.checksum || f.name !== d.name) {
      throw new AppError(
        'MIGRATION_CHANGED',
        `migration ${f.file} differs from the one applied to this database (${pad(d.version)}-${d.name}, sha256 ${d.checksum.slice(0, 12)}…, now ${f.checksum.slice(0, 12)}…): restore the released file; a schema change goes in a new numbered file`,
      );
    }
  }
}

async function applyOne(client: pg.PoolClient, m: MigrationFile, log: Logger | undefined): Promise<void> {
  const started = Date.now();
  await client.query('BEGIN');
  try {
    // no parameters: the simple query protocol, which runs a file of several statements
    await client.query(m.sql);
    await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const e = err as Error & { code?: string };
    throw new AppError('MIGRATION_FAILED', `migration ${m.file} failed and was rolled back: ${e.message}${e.code ? ` (${e.code})` : ''}`);
  }
  log?.info({ migration: m.file, ms: Date.now() - started }, 'applied a database migration');
}

function pad(version: number): string {
  return String(version).padStart(3, '0');
}
