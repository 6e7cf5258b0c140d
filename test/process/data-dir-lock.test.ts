/**
 * One writer per DATA_DIR, with real bot processes (the entry point of `npm start`) and the real
 * `npm run asa` command: a second bot on a folder in use refuses in one line, exit 1, having written
 * nothing, and the first one loses nothing; a bot killed with SIGKILL leaves a lock the next start takes
 * over; the bot and the ASA command refuse each other.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { LockInfo } from '../../src/store/lock-owner.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function dataDir(): Promise<string> {
  const d = await makeDataDir();
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** every file under `dir` with its size and mtime (bot.lock: its content; its mtime is the heartbeat) */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (rel === 'bot.lock') out[rel] = await readFile(full, 'utf8');
    else if (entry.isFile()) {
      const s = await stat(full);
      out[rel] = `${s.size} ${s.mtimeMs}`;
    } else out[rel] = 'dir';
  }
  return out;
}

const lockOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'bot.lock'), 'utf8')) as LockInfo;

/** `npm run asa -- …` as npm runs it */
function asaCli(args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/tools/asa.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env }, timeout: 20_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

// several bot processes start one after another per test, each taking seconds on a busy machine
describe('one bot per DATA_DIR', { timeout: 120_000 }, () => {
  it('a second bot on the same folder refuses in one line, exit 1, writing nothing; the first one loses nothing', async () => {
    const dir = await dataDir();
    const a = await startProcess(dir);
    const lock = await lockOf(dir);
    expect(lock).toMatchObject({ pid: a.child.pid, hostname: hostname(), holder: 'bot' });

    const events = Array.from({ length: 50 }, (_, i) => decideEvent({ decision: 'REVOKE', item: `iciiLock${String(i).padStart(4, '0')}` }));
    const first = await Promise.all(events.slice(0, 25).map((e) => postHook(a.url, envelope([e])).then((r) => r.status)));
    // A is frozen (SIGSTOP) while B tries, so any change to the folder can only be B's (A's own checkpoint
    // would otherwise move files under the snapshot); a frozen holder is still alive, so the lock holds
    a.child.kill('SIGSTOP');
    const before = await snapshot(dir);
    // B would generate a hook secret into DATA_DIR if it got that far
    const refusal = () => startProcess(dir, { OKTA_HOOK_SECRET: '' }).then(() => 'started', (err: Error) => err.message);
    const oneLine = `exited with 1:\noig-chatops: cannot start: DATA_DIR ${dir} is in use by another oig-chatops process (pid ${a.child.pid} on host ${hostname()}, since ${lock.startedAt}); stop it first, or use another DATA_DIR\n`;
    expect(await refusal()).toBe(oneLine);
    expect(await snapshot(dir)).toEqual(before);
    a.child.kill('SIGCONT');

    // and while A is busy acknowledging deliveries
    const [again, ...rest] = await Promise.all([refusal(), ...events.slice(25).map((e) => postHook(a.url, envelope([e])).then((r) => r.status))]);
    expect(again).toBe(oneLine);
    expect([...first, ...rest].every((s) => s === 200)).toBe(true);

    // A is still the one serving, and after a clean stop and a restart every acknowledged event is there
    expect((await postHook(a.url, envelope([]))).status).toBe(200);
    a.child.kill('SIGTERM');
    expect(await exited(a.child)).toBe(0);
    await expect(stat(path.join(dir, 'bot.lock'))).rejects.toThrow(/ENOENT/);
    const restarted = await startProcess(dir);
    expect(restarted.out()).toContain('(50 events stored)');
  });

  it('after the bot was killed with SIGKILL the next start takes over its lock', async () => {
    const dir = await dataDir();
    const a = await startProcess(dir);
    expect((await postHook(a.url, envelope([decideEvent({ decision: 'REVOKE' })]))).status).toBe(200);
    a.child.kill('SIGKILL');
    await exited(a.child);
    expect((await lockOf(dir)).pid).toBe(a.child.pid); // left behind

    const b = await startProcess(dir);
    expect(b.out()).toContain('(1 events stored)');
    expect(b.out()).toContain('took over a stale DATA_DIR lock');
    expect((await lockOf(dir)).pid).toBe(b.child.pid);
  });

  it('`npm run asa -- poll` refuses while the bot runs (exit 3), and the bot refuses while it polls', async () => {
    const asa = await FakeAsa.start();
    cleanup.push(() => asa.close());
    const dir = await dataDir();
    const env = { ...asa.env(), DATA_DIR: dir };

    const bot = await startProcess(dir);
    const busy = await asaCli(['poll'], env);
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`the bot (pid ${bot.child.pid} on host ${hostname()}`);
    expect(busy.stderr).toContain(`is running with DATA_DIR ${dir}; stop it first`);
    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);

    // a poll that is waiting for ASA holds DATA_DIR
    asa.addEvents(3);
    const release = asa.hold();
    const polling = asaCli(['poll'], env);
    await eventually(async () => expect((await lockOf(dir)).holder).toBe('cli'), 15_000);
    await expect(startProcess(dir)).rejects.toThrow(/^exited with 1:\noig-chatops: cannot start: DATA_DIR .* is in use by `npm run asa -- poll` \(pid \d+ on host .*\); stop it first, or use another DATA_DIR\n$/);
    release();
    expect((await polling).code).toBe(0);
    const after = await startProcess(dir);
    expect(after.out()).toContain('(3 events stored)');
  });
});
