/**
 * migrate() against the test PostgreSQL server: files applied once, in order, each recorded with its
 * checksum; a second run does nothing; replicas starting together (separate processes) apply each file
 * exactly once; an edited file, an unknown newer migration and a failing one stop with their line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { openDatabase, type Database } from '../../src/store/postgres/database.ts';
import { migrate, MIGRATION_LOCK_KEY } from '../../src/store/postgres/migrate.ts';
import { MIGRATIONS_DIR, readMigrations } from '../../src/store/postgres/migration-files.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Row {
  version: number;
  name: string;
  checksum: string;
}

describePg('migrate', () => {
  let fresh: FreshDatabase;
  let db: Database;
  let dir: string;

  beforeEach(async () => {
    fresh = await freshDatabase();
    db = await openDatabase(fresh.url, { max: 3 });
    dir = await mkdtemp(path.join(tmpdir(), 'oig-migrations-'));
  });
  afterEach(async () => {
    await db?.close();
    await fresh?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const files = (named: Record<string, string>) => Promise.all(Object.entries(named).map(([f, sql]) => writeFile(path.join(dir, f), sql)));
  const recorded = async () => (await db.pool.query<Row>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
  const failure = (p: Promise<unknown>) => p.then(() => new Error('migrated'), (e: unknown) => e as AppError);

  it('the shipped migrations apply in order, are recorded with their sha256, and a second run does nothing', async () => {
    const shipped = await readMigrations();
    expect(shipped.map((m) => m.file)[0]).toBe('001-schema-note.sql');
    const first = await migrate(db);
    expect(first.applied).toEqual(shipped.map((m) => m.file));
    const sha = async (file: string) => createHash('sha256').update(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8')).digest('hex');
    expect(await recorded()).toEqual(await Promise.all(shipped.map(async (m) => ({ version: m.version, name: m.name, checksum: await sha(m.file) }))));
    const note = await db.pool.query<{ note: string }>("SELECT obj_description('schema_migrations'::regclass) AS note");
    expect(note.rows[0]?.note).toContain('oig-chatops');

    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await recorded()).toHaveLength(shipped.length);
  });

  it('only the files not yet applied run, in number order (not name order)', async () => {
    await files({ '001-a.sql': 'CREATE TABLE steps (n int, at timestamptz DEFAULT clock_timestamp());' });
    expect((await migrate(db, { dir })).applied).toEqual(['001-a.sql']);
    await files({ '010-c.sql': 'INSERT INTO steps (n) VALUES (10);', '002-b.sql': 'INSERT INTO steps (n) VALUES (2);' });
    expect((await migrate(db, { dir })).applied).toEqual(['002-b.sql', '010-c.sql']);
    expect((await db.pool.query('SELECT n FROM steps ORDER BY at')).rows).toEqual([{ n: 2 }, { n: 10 }]);
    expect((await recorded()).map((r) => `${r.version}:${r.name}`)).toEqual(['1:a', '2:b', '10:c']);
  });

  it('a failing migration is rolled back whole and not recorded; those before it stay', async () => {
    await files({
      '001-a.sql': 'CREATE TABLE a (n int);',
      '002-broken.sql': 'CREATE TABLE half (n int);\nINSERT INTO no_such_table VALUES (1);',
    });
    const e = await failure(migrate(db, { dir }));
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('MIGRATION_FAILED');
    expect(e.message).toBe('migration 002-broken.sql failed and was rolled back: relation "no_such_table" does not exist (42P01)');
    expect((await recorded()).map((r) => r.name)).toEqual(['a']);
    expect((await db.pool.query("SELECT to_regclass('half') AS t")).rows[0]).toEqual({ t: null });
  });

  it('an applied file edited since stops start-up with one line, and nothing after it runs', async () => {
    await files({ '001-a.sql': 'CREATE TABLE a (n int);' });
    await migrate(db, { dir });
    await files({ '001-a.sql': 'CREATE TABLE a (n bigint);', '002-b.sql': 'CREATE TABLE b (n int);' });
    const e = await failure(migrate(db, { dir }));
    expect((e as AppError).code).toBe('MIGRATION_CHANGED');
    expect(e.message).toMatch(/^migration 001-a\.sql differs from the one applied to this database \(001-a, sha256 [0-9a-f]{12}…, now [0-9a-f]{12}…\): restore the released file; a schema change goes in a new numbered file$/);
    expect(await recorded()).toHaveLength(1);
  });

  it('line endings alone are not an edit (a Windows checkout of the same file)', async () => {
    await files({ '001-a.sql': 'CREATE TABLE a (n int);\nCREATE TABLE b (n int);\n' });
    await migrate(db, { dir });
    await files({ '001-a.sql': 'CREATE TABLE a (n int);\r\nCREATE TABLE b (n int);\r\n' });
    expect(await migrate(db, { dir })).toEqual({ applied: [] });
  });

  it('a database migrated by a newer version stops an older bot', async () => {
    await files({ '001-a.sql': 'CREATE TABLE a (n int);' });
    await migrate(db, { dir });
    await db.pool.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (7, 'replica-leases', 'x')");
    const e = await failure(migrate(db, { dir }));
    expect((e as AppError).code).toBe('SCHEMA_TOO_NEW');
    expect(e.message).toContain('the database has migration 007-replica-leases, which this version of oig-chatops does not know');
  });

  it('a misnamed file is refused before the database is touched', async () => {
    await files({ '001-a.sql': 'CREATE TABLE a (n int);', '2-b.sql': 'CREATE TABLE b (n int);' });
    const e = await failure(migrate(db, { dir }));
    expect((e as AppError).code).toBe('MIGRATION_FILE');
    expect(e.message).toContain('2-b.sql is not named NNN-what-it-does.sql');
    expect((await db.pool.query("SELECT to_regclass('schema_migrations') AS t")).rows[0]).toEqual({ t: null });
  });

  it('waits while another process holds the migration lock, then applies', async () => {
    await files({ '001-a.sql': 'CREATE TABLE a (n int);' });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString()).msg), done()) }));
    const holder = await openDatabase(fresh.url, { max: 1 });
    const held = await holder.pool.connect();
    try {
      // advisory locks are per database: the holder is a session on the same one
      await held.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let finished = false;
      const run = migrate(db, { dir, log }).then((r) => ((finished = true), r));
      await expect.poll(() => lines).toContain('another process is migrating this database; waiting for it');
      await new Promise((r) => setTimeout(r, 300));
      expect(finished).toBe(false);
      await held.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await run).toEqual({ applied: ['001-a.sql'] });
    } finally {
      held.release(true);
      await holder.close();
    }
  });

  it('three processes starting on an empty database at the same instant apply each file exactly once', async () => {
    await files({
      '001-a.sql': 'CREATE TABLE runs (file text);\nINSERT INTO runs VALUES (\'001\');',
      // long enough that the others are surely waiting on the lock meanwhile
      '002-slow.sql': "SELECT pg_sleep(0.5);\nINSERT INTO runs VALUES ('002');",
      '003-c.sql': "INSERT INTO runs VALUES ('003');",
    });
    const children = [1, 2, 3].map(() => startChild(fresh.url, dir));
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.proc.stdin.end('go\n');
      const results = await Promise.all(children.map((c) => c.done));
      for (const r of results) expect(r.stderr).toBe('');
      const applied = results.flatMap((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
      expect(applied.sort()).toEqual(['001-a.sql', '002-slow.sql', '003-c.sql']);
      expect(results.filter((r) => JSON.parse(r.stdout).applied.length === 0)).toHaveLength(2);
      expect((await db.pool.query('SELECT file FROM runs ORDER BY file')).rows.map((r) => r.file)).toEqual(['001', '002', '003']);
      expect(await recorded()).toHaveLength(3);
    } finally {
      for (const c of children) c.proc.kill('SIGKILL');
    }
  });
});

interface Child {
  proc: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startChild(url: string, dir: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/migrate-child.ts', url, dir], {
    cwd: root,
    env: { PATH: process.env.PATH },
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.startsWith('ready\n')) {
      stdout = stdout.slice('ready\n'.length);
      markReady();
    }
  });
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    proc.on('close', (code) => (markReady(), resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }))),
  );
  return { proc, ready, done };
}
