/**
 * `npm run oig` (issue 14 §1) against the real bot process (src/main.ts) and, once it has stopped, against
 * its DATA_DIR: the same table either way, the CSV export, usage errors, and a socket only the bot's user
 * may use.
 */
import { chmod, mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_COLUMNS } from '../../src/commands/skipped.ts';
import { holdDataDir } from '../../src/store/data-dir-lock.ts';
import { askBot } from '../../src/tools/oig/ask-bot.ts';
import { socketPath } from '../../src/tools/oig/socket-server.ts';
import { exited, startProcess, stopProcesses, type BotProcess } from '../helpers/bot-process.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { nodeForOtherUsers, runOig } from '../helpers/oig-cli.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';

let dataDir: string;
let work: string;
let bot: BotProcess;
const env = () => ({ DATA_DIR: dataDir });

/** two tasks Okta could not carry out; one principal's name tries to drive the terminal */
const ERIN = { id: '00u1erin2ErinExa0d7', name: 'Erin \u001b[2J\u001b[31mExample', login: 'erin@example.com' };
const FRANK = { id: '00u1frnk2FrankEx0d7', name: 'Frank Example', login: 'frank@example.com' };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oig-cli-'));
  dataDir = path.join(work, 'data');
  bot = await startProcess(dataDir);
  // the folder readable by all: what keeps another user out is the socket's own mode
  await chmod(dataDir, 0o755);
  const events = [ERIN, FRANK].flatMap((principal, i) => {
    const item = `icii${i}TaskItem000000d7`;
    return [decideEvent({ principal, item }), remediateEvent({ principal, item, outcome: 'SKIPPED' })];
  });
  expect((await postHook(bot.url, envelope(events))).status).toBe(200);
  await eventually(async () => {
    const reply = await askBot(socketPath(dataDir), { words: 'skipped' });
    expect(reply.kind === 'answer' && reply.rows.length).toBe(2);
  }, 10_000);
}, 60_000);

afterAll(async () => {
  await stopProcesses();
  await rm(work, { recursive: true, force: true });
});

const taskIds = ['item:icii0TaskItem000000d7', 'item:icii1TaskItem000000d7'];

/** the table's rows: the lines between the header's rule and the blank line before the count */
function tableRows(stdout: string): string[] {
  const lines = stdout.split('\n');
  const rule = lines.findIndex((l) => l.startsWith('─'));
  return lines.slice(rule + 1, lines.indexOf('', rule));
}

describe('npm run oig against the running bot', () => {
  it('answers skipped as an aligned table of the tasks with the count, nothing of Okta\'s text reaching the terminal', async () => {
    const r = await runOig(['skipped'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Open manual-remediation tasks');
    const header = lines.find((l) => l.startsWith('task '))!;
    expect(header.split(/\s{2,}/)).toEqual(TASK_COLUMNS);
    const rows = tableRows(r.stdout);
    expect(rows.map((l) => l.split(' ')[0])).toEqual(taskIds);
    // aligned: every row's "open" under the header's "state", its principal under "principal"
    for (const row of rows) {
      expect(row.indexOf(' open ') + 1).toBe(header.indexOf('state'));
      expect(row.slice(header.indexOf('principal')).startsWith(row.includes('Frank') ? 'Frank Example' : 'Erin Example')).toBe(true);
    }
    expect(r.stdout).toContain('\n2 matched\n');
    // no escape sequence from the name, and no bold either: stdout is a pipe here
    expect(r.stdout).not.toContain('\u001b');
  }, 30_000);

  it('writes the engine\'s CSV export with --csv (0600), and export words write its own file name in the folder typed in', async () => {
    const file = path.join(work, 'tasks.csv');
    const r = await runOig(['skipped', '--csv', file], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`2 row(s) written to ${file} (2 matched)`);
    const csv = (await readFile(file, 'utf8')).split('\r\n');
    expect(csv[0]).toBe(TASK_COLUMNS.join(','));
    expect(csv.slice(1, 3).map((l) => l.split(',')[0])).toEqual(taskIds);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const folder = await mkdtemp(path.join(work, 'typed-in-'));
    const exported = await runOig(['export', 'skipped'], { env: { ...env(), INIT_CWD: folder } });
    expect(exported.code).toBe(0);
    expect(await readdir(folder)).toEqual([`oig-skipped-${new Date().toISOString().slice(0, 10)}.csv`]);
  }, 30_000);

  it('gives the answer as JSON with --json, and one page with --page', async () => {
    const r = await runOig(['skipped', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const reply = JSON.parse(r.stdout) as { columns: string[]; rows: string[][]; countLine: string };
    expect(reply.columns).toEqual(TASK_COLUMNS);
    expect(reply.rows.map((row) => row[0])).toEqual(taskIds);
    expect(reply.countLine).toBe('2 matched');
    const help = await runOig(['help', '--page', '1'], { env: env() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('10 commands matched');
  }, 30_000);

  it('answers an unknown command with the engine\'s help on stderr and exit 2, as it does a period that means nothing', async () => {
    const unknown = await runOig(['frobnicate', 'now'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('“frobnicate” is not an oig command. Commands:');
    expect(unknown.stderr).toContain('/oig revokes [campaign <name>] [since <7d or date>]');
    const since = await runOig(['revokes', 'since', 'yesterday'], { env: env() });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('“since yesterday” is not a period I understand');
  }, 30_000);

  it('refuses bad flags with the usage and exit 2, before asking anything', async () => {
    for (const args of [['--frob', 'skipped'], [], ['skipped', '--page', '0'], ['skipped', '--page', 'two'], ['skipped', '--page', '2', '--csv', 'x.csv'], ['skipped', '--csv=']]) {
      const r = await runOig(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('usage: npm run oig -- <words>');
    }
  }, 60_000);

  it('says why and exits 1 when the CSV cannot be written', async () => {
    const blocker = path.join(work, 'a-file');
    await writeFile(blocker, 'not a folder');
    for (const target of [path.join(work, 'missing', 'x.csv'), path.join(blocker, 'x.csv')]) {
      const r = await runOig(['skipped', '--csv', target], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot write the CSV to ${target}`);
    }
  }, 30_000);

  it('serves on a socket of mode 0600 that another user cannot use', async () => {
    const file = socketPath(dataDir);
    const s = await stat(file);
    expect(s.isSocket()).toBe(true);
    expect(s.mode & 0o777).toBe(0o600);
    if (process.getuid?.() !== 0 || !nodeForOtherUsers()) {
      console.warn('skipped the other-user check: it needs root, and a Node binary the user nobody may run');
      return;
    }
    const r = await runOig(['skipped'], { env: env(), uid: 65534 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`not allowed to connect to ${file}: only the user the bot runs as may ask it`);
    expect(r.stdout).not.toContain('item:');
  }, 30_000);

  it('says the bot holds DATA_DIR but does not answer when its socket is gone, and exits 1', async () => {
    await unlink(socketPath(dataDir));
    const r = await runOig(['skipped'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the bot \(pid \d+ on host .*\) holds DATA_DIR .* but does not answer on its socket/);
  }, 30_000);
});

describe('npm run oig once the bot has stopped', () => {
  it('answers from the stopped bot\'s DATA_DIR with the same rows; after kill -9 too, and a new bot replaces the dead one\'s socket', async () => {
    bot.child.kill('SIGTERM');
    await exited(bot.child);
    const stopped = await runOig(['skipped'], { env: env() });
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain(`no bot is running on ${dataDir}: answered from its stored data`);
    expect(tableRows(stopped.stdout).map((l) => l.split(' ')[0])).toEqual(taskIds);
    expect(stopped.stdout).toContain('\n2 matched\n');

    bot = await startProcess(dataDir);
    await eventually(async () => expect((await stat(socketPath(dataDir))).isSocket()).toBe(true), 10_000);
    bot.child.kill('SIGKILL');
    await exited(bot.child);
    // kill -9 leaves the socket and the lock behind: both are a dead process's
    expect((await stat(socketPath(dataDir))).isSocket()).toBe(true);
    const killed = await runOig(['skipped'], { env: env() });
    expect(killed.code).toBe(0);
    expect(tableRows(killed.stdout)).toHaveLength(2);

    bot = await startProcess(dataDir);
    await eventually(async () => {
      const reply = await askBot(socketPath(dataDir), { words: 'skipped' });
      expect(reply.kind === 'answer' && reply.rows.length).toBe(2);
    }, 10_000);
  }, 90_000);
});

describe('npm run oig while another command works on DATA_DIR', () => {
  it('names that command and exits 1, reading nothing', async () => {
    const held = await mkdtemp(path.join(tmpdir(), 'oig-cli-held-'));
    // this test process plays `npm run asa -- poll`, which holds the folder while it polls
    const lease = await holdDataDir(held, 'cli', { command: 'npm run asa -- poll' });
    try {
      const r = await runOig(['skipped'], { env: { DATA_DIR: held } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`\`npm run asa -- poll\` (pid ${process.pid} on host ${hostname()}, since ${lease.info.startedAt}) is working on DATA_DIR ${held}; ask again when it is done`);
      expect(r.stdout).toBe('');
    } finally {
      await lease.release();
      await rm(held, { recursive: true, force: true });
    }
  }, 30_000);
});
