import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { holdDataDir } from '../../src/store/data-dir-lock.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import pg from 'pg';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** `npm run asa -- …` as a child process (what npm runs: tsx src/tools/asa.ts) */
function asaCli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', 'tsx', 'src/tools/asa.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env }, timeout: 20_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

async function setup() {
  const asa = await FakeAsa.start();
  const dataDir = await makeDataDir();
  cleanup.push(() => asa.close(), () => rm(dataDir, { recursive: true, force: true }));
  return { asa, dataDir, env: { ...asa.env({ ASA_PAGE_SIZE: '5' }), DATA_DIR: dataDir } };
}

async function storedEvents(dataDir: string): Promise<number> {
  const store = new LowdbEventStore({ dataDir, retentionDays: 400 });
  await store.open();
  const n = store.stats().events;
  await store.close();
  return n;
}

describe('npm run asa', () => {
  it('poll stores the events and prints the execution log line; reset starts over; a failed poll exits 1', async () => {
    const { asa, dataDir, env } = await setup();
    asa.addEvents(12);
    const polled = await asaCli(['poll'], env);
    expect(polled.stderr).toBe('');
    expect(polled.code).toBe(0);
    expect(polled.stdout).toMatch(/^asa poll: 3 pages, 12 events read, 12 stored, 0 duplicates skipped, \d+ ms, caught up\n$/);
    expect(await storedEvents(dataDir)).toBe(12);
    const checkpoint = path.join(dataDir, 'state', 'asa-checkpoint.json');
    expect(JSON.parse(await readFile(checkpoint, 'utf8'))).toMatchObject({ offset: asa.events[9]!.id, lastPageSize: 2 });

    const reset = await asaCli(['reset'], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`ASA capture starts over from the oldest event at the next poll (was at offset ${asa.events[9]!.id})`);
    expect(JSON.parse(await readFile(checkpoint, 'utf8')).offset).toBeUndefined();

    asa.script('audits', { status: 403, body: '{"message":"forbidden for this role"}' });
    const failed = await asaCli(['poll'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^asa poll failed after 0 pages, .*: ASA auditsV2 page failed: GET http:\/\/127\.0\.0\.1:\d+\/v1\/teams\/william-faulkner\/auditsV2 answered 403 Forbidden \(forbidden for this role\)\n$/);
    expect(asa.auditQueries.at(-1)?.get('offset')).toBeNull();
    expect(failed.stdout + failed.stderr).not.toContain(asa.keySecret);
  });

  it('refuses while the bot holds DATA_DIR, and explains usage', async () => {
    const { dataDir, env } = await setup();
    const lease = await holdDataDir(dataDir, 'bot'); // this test process plays the running bot
    cleanup.push(() => lease.release());
    const [busy, usage, unknown] = await Promise.all([asaCli(['reset'], env), asaCli([], env), asaCli(['pol'], env)]);
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`the bot (pid ${process.pid} on host ${hostname()}, since ${lease.info.startedAt}) is running with DATA_DIR ${dataDir}; stop it first`);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run asa -- <command>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "pol"');
  });

  it('refuses while another command holds DATA_DIR, naming it', async () => {
    const { dataDir, env } = await setup();
    const lease = await holdDataDir(dataDir, 'cli', { command: 'npm run oig' }); // this test process plays it
    cleanup.push(() => lease.release());
    const busy = await asaCli(['poll'], env);
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`\`npm run oig\` (pid ${process.pid} on host ${hostname()}, since ${lease.info.startedAt}) is working on DATA_DIR ${dataDir}; wait for it to finish.`);
  });
});

describePg('npm run asa with DATABASE_URL', () => {
  it('poll, status and reset work on the database beside a running bot (no DATA_DIR lock); a second poll stores nothing twice', async () => {
    const { asa, env } = await setup();
    const db = await freshDatabase();
    cleanup.push(() => db.drop());
    const withDb = { ...env, DATABASE_URL: db.url };
    asa.addEvents(12);
    const polled = await asaCli(['poll'], withDb);
    expect(polled.stderr).toBe('');
    expect(polled.code).toBe(0);
    expect(polled.stdout).toMatch(/12 events read, 12 stored, 0 duplicates skipped/);
    const status = await asaCli(['status'], withDb);
    expect(status.stdout).toContain(`checkpoint: offset ${asa.events[9]!.id} (last page 2 events)`);
    expect(status.stdout).toMatch(/asa poll: 3 pages, 12 events read, 12 stored/);
    const reset = await asaCli(['reset'], withDb);
    expect(reset.stdout).toContain(`(was at offset ${asa.events[9]!.id})`);
    const again = await asaCli(['poll'], withDb);
    expect(again.stdout).toMatch(/12 events read, 0 stored, 12 duplicates skipped/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      expect((await c.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE id LIKE 'asa:%'")).rows[0]?.n).toBe('12');
    } finally {
      await c.end();
    }
  });
});
