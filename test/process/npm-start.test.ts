/**
 * `npm start` for real, as a container runtime or systemd runs it: SIGTERM to the npm process reaches the
 * bot, which stops cleanly, and everything exits 0 within 10 s; Ctrl-C in a terminal (SIGINT to the whole
 * process group) does the same. Nothing acknowledged is lost and no bot process is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/store/lock-owner.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, postHook, TEST_SECRET } from '../helpers/start-bot.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface NpmStart {
  npm: ChildProcess;
  url: string;
  /** the bot process npm started */
  botPid: number;
  out: () => string;
}

/** `npm start` in the project, in its own process group (as a terminal runs it); resolves at the banner */
async function npmStart(dataDir: string): Promise<NpmStart> {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  cleanup.push(async () => {
    // whatever is left of the group (nothing, when the test passed)
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${out}`)), 30_000);
    npm.stdout!.on('data', () => {
      const m = /http:\/\/[^:\s]+:(\d+)\/okta\/hooks/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    npm.once('exit', (code) => reject(new Error(`npm exited with ${code}:\n${out}`)));
  });
  const bots = await descendants(npm.pid!);
  const botPid = bots.find((p) => p.cmdline.includes('src/main.ts'))?.pid;
  if (botPid === undefined) throw new Error(`no bot process under npm: ${JSON.stringify(bots)}`);
  return { npm, url: `http://127.0.0.1:${port}`, botPid, out: () => out };
}

/** the processes below `pid`, from /proc */
async function descendants(pid: number): Promise<Array<{ pid: number; cmdline: string }>> {
  const all: Array<{ pid: number; ppid: number; cmdline: string }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const statText = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).replace(/\0/g, ' ');
      all.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // exited meanwhile
    }
  }
  const found: Array<{ pid: number; cmdline: string }> = [];
  const walk = (parent: number) => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push({ pid: p.pid, cmdline: p.cmdline });
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

async function exitedWithin(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const code = await exited(child);
  return { code, ms: Date.now() - t0 };
}

async function dataDir(): Promise<string> {
  const d = await makeDataDir();
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

describe('npm start', { timeout: 120_000 }, () => {
  it('SIGTERM to npm: the bot stops cleanly, npm exits 0 within 10 s, nothing is lost or left running', async () => {
    const dir = await dataDir();
    const started = await npmStart(dir);
    const event = decideEvent({ decision: 'REVOKE' });
    expect((await postHook(started.url, envelope([event]))).status).toBe(200);

    started.npm.kill('SIGTERM');
    const { code, ms } = await exitedWithin(started.npm);
    expect({ code, signal: started.npm.signalCode }).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);
    // the bot went with it, having released DATA_DIR (a clean stop, not a kill)
    await eventually(() => expect(isAlive(started.botPid)).toBe(false), 2_000);
    await expect(stat(path.join(dir, 'bot.lock'))).rejects.toThrow(/ENOENT/);
    expect(started.out()).not.toMatch(/unclean stop|did not finish/);

    const again = await startProcess(dir);
    expect(again.out()).toContain('(1 events stored)');
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  });

  it('Ctrl-C (SIGINT to the whole process group): one clean stop, exit 0', async () => {
    const dir = await dataDir();
    const started = await npmStart(dir);
    expect((await postHook(started.url, envelope([decideEvent()]))).status).toBe(200);

    // the terminal signals npm and the bot alike, and npm forwards its own: the bot must not take the
    // second delivery of the same keypress for an impatient second Ctrl-C
    process.kill(-started.npm.pid!, 'SIGINT');
    const { code, ms } = await exitedWithin(started.npm);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    await eventually(() => expect(isAlive(started.botPid)).toBe(false), 2_000);
    expect(started.out()).not.toMatch(/again while stopping|unclean stop/);
    await expect(stat(path.join(dir, 'bot.lock'))).rejects.toThrow(/ENOENT/);
  });
});
