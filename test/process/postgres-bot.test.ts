/**
 * The real bot (src/main.ts) on DATABASE_URL: events acknowledged with 200 are in PostgreSQL across a
 * kill -9, and a duplicate is refused by the database after the restart. Tasks,
 * outboxes and checkpoints are still in DATA_DIR (issue 13 continues); this is the event store's part.
 */
import { readdir, rm } from 'node:fs/promises';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const dirs: string[] = [];
const dbs: FreshDatabase[] = [];

afterEach(async () => {
  await stopProcesses();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  for (const db of dbs.splice(0)) await db.drop();
});

async function storedIds(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ id: string }>('SELECT id FROM events ORDER BY seq')).rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

describePg('the bot process on PostgreSQL (DATABASE_URL)', () => {
  it('keeps every acknowledged event in the database across kill -9 and refuses a repeat after the restart by its key', async () => {
    const db = await freshDatabase();
    dbs.push(db);
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const env = { DATABASE_URL: db.url };
    const first = await startProcess(dataDir, env);
    const batches = Array.from({ length: 10 }, () => envelope([decideEvent({ decision: 'REVOKE' }), decideEvent({ decision: 'APPROVE' })]));
    const statuses = await Promise.all(batches.map((b) => postHook(first.url, b).then((r) => r.status)));
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const ids = batches.flatMap((b) => (b.data.events as Array<{ uuid: string }>).map((e) => e.uuid));
    expect(new Set(await storedIds(db.url))).toEqual(new Set(ids));

    const again = await startProcess(dataDir, env);
    // the same delivery again (Okta's one retry): stored once, by the database's key
    expect((await postHook(again.url, batches[0]!)).status).toBe(200);
    const metrics = async () => (await fetch(`${again.url}/metrics`)).text();
    await eventually(async () => expect(await metrics()).toMatch(/oig_events_duplicate_total\S* 2\b/));
    expect(await storedIds(db.url)).toHaveLength(20);
    // the event log is in the database, not in DATA_DIR
    expect(await readdir(dataDir)).not.toEqual(expect.arrayContaining(['events']));
    expect(await readdir(dataDir)).not.toEqual(expect.arrayContaining(['wal']));
  });
});
