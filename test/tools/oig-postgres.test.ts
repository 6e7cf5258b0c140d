/**
 * `npm run oig` with DATABASE_URL: the CLI reads the database itself, beside a running replica (which has
 * no socket: it keeps nothing in DATA_DIR) and after it has stopped, with the same answer as the bot's.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { runOig } from '../helpers/oig-cli.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';

const dirs: string[] = [];
const dbs: FreshDatabase[] = [];
afterEach(async () => {
  await stopProcesses();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  for (const db of dbs.splice(0)) await db.drop();
});

describePg('npm run oig on PostgreSQL (DATABASE_URL)', () => {
  it('answers from the database beside the running replica and after it stopped; --csv writes the export', async () => {
    const db = await freshDatabase();
    dbs.push(db);
    const work = await mkdtemp(path.join(tmpdir(), 'oig-pg-'));
    dirs.push(work);
    const dataDir = path.join(work, 'data');
    const env = { DATABASE_URL: db.url, DATA_DIR: dataDir };
    const bot = await startProcess(dataDir, env);
    const item = 'iciiPgTaskItem0000d7';
    const events = [decideEvent({ item }), remediateEvent({ item, outcome: 'SKIPPED' }), decideEvent({ decision: 'REVOKE' })];
    expect((await postHook(bot.url, envelope(events))).status).toBe(200);

    // the leader routes the remediation into a task; the CLI sees it once it is in the database
    let running = await runOig(['skipped'], { env });
    await eventually(async () => {
      if (!running.stdout.includes('1 matched')) running = await runOig(['skipped'], { env });
      expect(running.stdout).toContain('\n1 matched\n');
    }, 30_000);
    expect(running.code).toBe(0);
    expect(running.stdout).toContain(`item:${item}`);
    // a replica has no socket in DATA_DIR: nothing to ask but the database
    expect(await readdir(dataDir).catch(() => [])).not.toContain('oig.sock');

    const revokes = await runOig(['revokes', '--csv', path.join(work, 'revokes.csv')], { env });
    expect(revokes.code).toBe(0);
    expect(revokes.stdout).toContain('2 row(s) written');
    expect((await readFile(path.join(work, 'revokes.csv'), 'utf8')).trim().split('\r\n')).toHaveLength(3);

    bot.child.kill('SIGTERM');
    await exited(bot.child);
    const stopped = await runOig(['skipped'], { env });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`item:${item}`);
    expect(stopped.stdout).toContain('\n1 matched\n');
  }, 120_000);
});
