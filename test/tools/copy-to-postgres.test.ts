/**
 * `npm run copy-to-postgres` (issue 13 §3) on a real DATA_DIR and a real PostgreSQL database: the data
 * folder is made by the bot's own parts on files (LowdbEventStore, RoutingCursor, Outbox, MessageRefs,
 * TaskFile, AuditFile, the ASA checkpoint), copied, and read back through the PostgreSQL stores the bot
 * runs on. The command itself runs as a process for what the user sees: exit codes, progress, a second run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { asaCheckpointFile } from '../../src/asa/asa-checkpoint.ts';
import { resolveHookSecret } from '../../src/okta/hook-secret.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import { MessageRefs } from '../../src/delivery/message-refs.ts';
import { Outbox } from '../../src/delivery/outbox.ts';
import { AuditFile } from '../../src/followup/audit-file.ts';
import { TaskFile, type StoredTask } from '../../src/followup/task-file.ts';
import { RoutingCursor } from '../../src/route/routing-cursor.ts';
import { holdDataDir } from '../../src/store/data-dir-lock.ts';
import { FileStateStore } from '../../src/store/file-state-store.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { openDatabase, type Database } from '../../src/store/postgres/database.ts';
import { migrate } from '../../src/store/postgres/migrate.ts';
import { PgStateStore } from '../../src/store/postgres/pg-state-store.ts';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.ts';
import { copyDataDir } from '../../src/tools/copy/copy-data-dir.ts';
import { Intake } from '../../src/intake/intake.ts';
import { Metrics } from '../../src/metrics.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { CERT, startSlackBot } from '../slack/slack-bot.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { alice, decision, remediation, salesforce, q2 } from '../helpers/records.ts';
import { sampleCards } from '../helpers/sample-cards.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = pino({ level: 'silent' });
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oig-copy-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function database(): Promise<FreshDatabase> {
  const db = await freshDatabase();
  cleanup.push(() => db.drop());
  return db;
}

/** a recent time (inside any retention) for the i-th event */
const recent = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();

/** appends records to DATA_DIR's lowdb store as the bot does; `retain`: then drops those older than 10 years */
async function storeEvents(dir: string, records: EventRecord[], retain = false): Promise<void> {
  const store = new LowdbEventStore({ dataDir: dir, retentionDays: 3650 });
  await store.open();
  for (let i = 0; i < records.length; i += 1000) await store.append(records.slice(i, i + 1000));
  if (retain) await store.applyRetention(new Date('2026-06-01T00:00:00Z'));
  await store.close();
}

function task(id: string): StoredTask {
  const record = remediation({ id: `rem-${id}`, item: id, status: 'FAILURE', at: recent(0) });
  return {
    record,
    task: { id, state: 'open', openedBy: record.id, openedAt: record.at, updatedAt: record.at, item: id, principal: alice, resource: salesforce, campaign: q2 },
  };
}

/**
 * DATA_DIR as a bot leaves it: nine events at lowdb positions 1, 2, 6 … 12 (3–5 dropped by retention),
 * routed through position 7, the Slack outbox holding one card and having queued through position 9.
 */
async function botDataDir(): Promise<string> {
  const dir = await dataDir();
  const records = Array.from({ length: 12 }, (_, i) => decision({ id: `d${i + 1}`, item: `item-${i + 1}`, at: i >= 2 && i <= 4 ? '2001-01-01T00:00:00.000Z' : recent(i) }));
  await storeEvents(dir, records, true);
  const files = new FileStateStore(dir);
  const cursor = await RoutingCursor.open(files);
  cursor.advance(7);
  await cursor.flush();
  const outbox = await Outbox.open(files, 'slack-outbox', { log });
  await outbox.add([sampleCards()['decision (REVOKE)']!], () => 'C0QUEUED1', 9);
  await outbox.close();
  const refs = await MessageRefs.open(files, 'slack-messages', { log });
  await refs.set('decision:item-1', { channel: 'C0POSTED1', ts: '1700000000.000100', at: Date.now() });
  await refs.close();
  await (await TaskFile.open(files)).putAll([task('t1'), task('t2')]);
  await (await AuditFile.open(files)).append({ at: recent(1), taskId: 't1', action: 'claim', actor: { id: 'U1', name: 'Rita', via: 'slack' }, result: 'ok' });
  await asaCheckpointFile(files).open().then((c) => c.update((d) => Object.assign(d, { offset: 'asa-offset-42', lastPageSize: 17 })));
  // generated at the first start without OKTA_HOOK_SECRET, and entered in Okta's event hook
  await resolveHookSecret(undefined, dir);
  return dir;
}

/** the copy in this process, as the command runs it; answers every line it printed */
async function copy(dir: string, url: string): Promise<string[]> {
  const db: Database = await openDatabase(url, { log });
  const target = new PgStateStore({ database: db, log, listen: false });
  const lines: string[] = [];
  try {
    await migrate(db, { log });
    lines.push(...(await copyDataDir({ dataDir: dir, db, target, retentionDays: 3650, log, say: (l) => lines.push(l), batch: 4 })));
  } finally {
    await target.close();
    await db.close();
  }
  return lines;
}

/** opens what the bot opens on PostgreSQL; closed after the test */
async function pgStores(url: string) {
  const events = new PostgresEventStore({ url, log, retentionDays: 3650 });
  await events.open();
  await events.whenLoaded();
  const state = new PgStateStore({ url, log, listen: false });
  cleanup.push(async () => {
    await events.close();
    await state.close();
  });
  return { events, state };
}

function tsx(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', 'tsx', 'src/tools/copy-to-postgres.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describePg('copy-to-postgres', () => {
  it('copies events, tasks, audit, outbox, refs and checkpoints; the stores on PostgreSQL read the same', async () => {
    const dir = await botDataDir();
    const db = await database();
    const lines = await copy(dir, db.url);
    expect(lines).toContainEqual(expect.stringMatching(/^events: 9 copied \(in \d+\.\d s\)$/));

    const { events, state } = await pgStores(db.url);
    expect(events.recordsAfter(0).map((r) => [r.id, r.seq])).toEqual(
      ['d1', 'd2', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11', 'd12'].map((id, i) => [id, i + 1]),
    );
    expect(events.get('d6')).toMatchObject({ kind: 'decision', item: 'item-6', decision: 'REVOKE' });
    const tasks = await TaskFile.open(state);
    expect(tasks.all().map((t) => [t.task.id, t.task.state, t.record.id])).toEqual([
      ['t1', 'open', 'rem-t1'],
      ['t2', 'open', 'rem-t2'],
    ]);
    expect((await AuditFile.open(state)).list('t1')).toMatchObject([{ action: 'claim', actor: { id: 'U1' }, result: 'ok' }]);
    expect((await asaCheckpointFile(state).open()).data).toEqual({ offset: 'asa-offset-42', lastPageSize: 17 });
    const outbox = await Outbox.open(state, 'slack-outbox', { log });
    expect([outbox.size, outbox.next('C0QUEUED1')?.card.title]).toEqual([1, sampleCards()['decision (REVOKE)']!.title]);
    const refs = await MessageRefs.open(state, 'slack-messages', { log });
    expect(refs.get('decision:item-1')).toMatchObject({ channel: 'C0POSTED1', ts: '1700000000.000100' });
    await outbox.close();
    await refs.close();
    // the bot on the database answers Okta with the secret Okta has
    const secret = (await readFile(path.join(dir, 'okta-hook-secret'), 'utf8')).trim();
    expect(await resolveHookSecret(undefined, await dataDir(), state)).toEqual({ value: secret, origin: 'database' });
  });

  it('translates the routing cursor and the outbox position across a gap in the lowdb log (retention)', async () => {
    const dir = await botDataDir();
    const db = await database();
    const lines = await copy(dir, db.url);
    // lowdb 1 2 6 7 8 9 … became 1 2 3 4 5 6 …: routed through 7 is through 4, queued through 9 through 6
    expect(lines).toContain('routing: routed through position 7 in DATA_DIR, 4 in the database');
    expect(lines).toContain('slack-outbox: routed through position 9 in DATA_DIR, 6 in the database');
    const { events, state } = await pgStores(db.url);
    const cursor = await RoutingCursor.open(state);
    // what a bot started on PostgreSQL routes: exactly the events DATA_DIR had not routed
    expect(events.recordsAfter(cursor.position).map((r) => r.id)).toEqual(['d8', 'd9', 'd10', 'd11', 'd12']);
    const outbox = await Outbox.open(state, 'slack-outbox', { log });
    // and the outbox skips what it had queued: through d9
    expect(events.recordsAfter(outbox.routedThrough).map((r) => r.id)).toEqual(['d10', 'd11', 'd12']);
    await outbox.close();
  });

  it('a second run copies nothing and says so; a document the database changed since is kept as it is', async () => {
    const dir = await botDataDir();
    const db = await database();
    await copy(dir, db.url);
    const { state } = await pgStores(db.url);
    // the bot ran on the database meanwhile and moved on
    await (await asaCheckpointFile(state).open()).update((d) => Object.assign(d, { offset: 'asa-offset-99' }));

    const again = await copy(dir, db.url);
    expect(again).toContainEqual(expect.stringMatching(/^events: all 9 already copied \(checked in \d+\.\d s\)$/));
    expect(again).toContain("asa-checkpoint: the database holds a different version (the bot has run on it already?): kept the database's, DATA_DIR's is not copied");
    expect(again.find((l) => l.startsWith('documents:'))).toBe(
      'documents: 4 already copied (routing, manual-tasks, manual-task-audit, okta-hook-secret); 1 kept as the database has them (asa-checkpoint); ' +
        '4 not in DATA_DIR (asa-runs, system-log-backfill, system-log-runs, teams-subscriptions)',
    );
    expect(again.find((l) => l.startsWith('journals:'))).toBe('journals: 2 already copied (slack-outbox, slack-messages); 2 not in DATA_DIR (teams-outbox, teams-messages)');
    expect((await asaCheckpointFile(state).open()).data.offset).toBe('asa-offset-99');
    const events = new PostgresEventStore({ url: db.url, log, retentionDays: 3650 });
    await events.open();
    await events.whenLoaded();
    expect(events.lastSeq).toBe(9);
    await events.close();
  });

  it('end to end: a bot started on PostgreSQL after the copy posts what DATA_DIR had not routed, once, and nothing it had', async () => {
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.close());
    const dir = await dataDir();
    // three events dropped by retention before the bot ran: its lowdb positions start at 4, the database's at 1
    await storeEvents(dir, [1, 2, 3].map((i) => decision({ id: `old${i}`, item: `old${i}`, at: '2001-01-01T00:00:00.000Z' })), true);
    const onFiles = await startSlackBot(fake, { dataDir: dir });
    await postHook(onFiles.url, envelope([decideEvent({ item: 'iciiCopyA0001' }), decideEvent({ item: 'iciiCopyB0001' })]));
    await eventually(() => expect(fake.posts(CERT)).toHaveLength(2));
    const parentTs = [...fake.messages.values()][0]!.ts;
    await onFiles.stop();

    // stored while the bot was down (as `npm run asa -- poll` stores), not routed yet
    const store = new LowdbEventStore({ dataDir: dir, retentionDays: 400 });
    await store.open();
    await new Intake(store, new Metrics(), log).receiveEvents([decideEvent({ item: 'iciiCopyC0001', principal: { id: '00u3carol', login: 'carol@example.com', name: 'Carol Copy' } }), remediateEvent({ item: 'iciiCopyA0001', outcome: 'SUCCESS' })], 'hook');
    await store.close();

    const db = await database();
    await copy(dir, db.url);
    const onPostgres = await startSlackBot(fake, { env: { DATABASE_URL: db.url } });
    cleanup.push(() => onPostgres.stop(true));
    await eventually(() => {
      expect(fake.posts(CERT)).toHaveLength(4);
      expect(fake.updates(CERT)).toHaveLength(1);
    }, 10_000);
    await onPostgres.bot.idle();
    const [, , c, reply] = fake.posts(CERT);
    expect(c!.body.text).toContain('Carol Copy');
    // the remediation of A goes into A's thread, found through the copied message references
    expect([reply!.body.thread_ts, reply!.body.text]).toEqual([parentTs, expect.stringContaining('Remediation SUCCESS')]);
    expect(fake.updates(CERT)[0]!.body).toMatchObject({ ts: parentTs });
    expect(fake.posts(CERT)).toHaveLength(4);
  });

  it('the command: progress on a larger copy, the summary, and a second run that copies nothing', async () => {
    const dir = await dataDir();
    await storeEvents(dir, Array.from({ length: 30_000 }, (_, i) => decision({ id: `e${i}`, item: `item-${i}`, at: recent(i) })));
    const db = await database();
    const env = { DATA_DIR: dir, DATABASE_URL: db.url };
    const first = await tsx([], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = first.stdout.split('\n');
    expect(out).toContain('copying 30000 events from ' + dir);
    // the first batch at once, then at most one a second, and the end
    expect(out).toContain('copied 5000/30000 events (16%)');
    expect(out).toContain('copied 30000/30000 events (100%)');
    expect(first.stdout).toMatch(/^events: 30000 copied \(in \d+\.\d s\)$/m);
    expect(first.stdout).toMatch(/^done\. Start the bot with DATABASE_URL set/m);
    expect(first.stdout).not.toContain(new URL(db.url).password);

    const second = await tsx(['--data-dir', dir], { DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('events: all 30000 already copied');
  }, 120_000);

  it('refuses while the bot holds DATA_DIR (exit 3), and copies nothing', async () => {
    const dir = await dataDir();
    await storeEvents(dir, [decision({ id: 'only', at: recent(0) })]);
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lock-holder.ts', dir, 'bot'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(async () => {
      holder.stdin.end();
      await new Promise((r) => holder.once('exit', r));
    });
    const lines = createInterface({ input: holder.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    holder.stdin.write('go\n');
    expect(JSON.parse((await lines.next()).value as string)).toMatchObject({ won: true });

    const db = await database();
    const { code, stdout, stderr } = await tsx([], { DATA_DIR: dir, DATABASE_URL: db.url });
    expect(code).toBe(3);
    expect(stderr).toMatch(new RegExp(`^the bot \\(pid ${holder.pid} on host .*\\) is running with DATA_DIR ${dir}; stop it first`));
    expect(stdout).toBe('');
    const { events } = await pgStores(db.url);
    expect(events.lastSeq).toBe(0);
  });
  it('refuses while another command holds DATA_DIR, naming it (exit 3)', async () => {
    const dir = await dataDir();
    await storeEvents(dir, [decision({ id: 'only', at: recent(0) })]);
    const lease = await holdDataDir(dir, 'cli', { command: 'npm run asa -- poll' }); // this test process plays it
    cleanup.push(() => lease.release());
    const db = await database();
    const { code, stdout, stderr } = await tsx([], { DATA_DIR: dir, DATABASE_URL: db.url });
    expect(code).toBe(3);
    expect(stderr).toContain(`\`npm run asa -- poll\` (pid ${process.pid} on host ${hostname()}, since ${lease.info.startedAt}) is working on DATA_DIR ${dir}; wait for it to finish.`);
    expect(stdout).toBe('');
  });
});

it('without DATABASE_URL: exit 2 and what to set', async () => {
  const { code, stderr } = await tsx([], { DATA_DIR: await dataDir() });
  expect(code).toBe(2);
  expect(stderr.trim()).toBe('DATABASE_URL is not set: set it to the database to copy into (postgres://user:password@host:5432/database), in the environment or .env');
});

it('an unknown flag: exit 2 and the usage', async () => {
  const { code, stderr } = await tsx(['--dry-run'], { DATA_DIR: await dataDir(), DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' });
  expect(code).toBe(2);
  expect(stderr).toContain("Unknown option '--dry-run'");
  expect(stderr).toContain('usage: npm run copy-to-postgres');
});

it('a database it cannot reach: exit 1 with the reason, never the password', async () => {
  const dir = await dataDir();
  const { code, stdout, stderr } = await tsx([], { DATA_DIR: dir, DATABASE_URL: 'postgres://oig:s3cret-pw@127.0.0.1:1/oig' });
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(/^copy-to-postgres failed: cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused/);
  expect(stdout + stderr).not.toContain('s3cret-pw');
});
