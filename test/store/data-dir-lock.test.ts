/**
 * The DATA_DIR lock on a real file system, with real other processes where another holder is needed
 * (test/helpers/lock-holder.ts): atomic creation, staleness by a gone pid, a reused pid, a reboot and an
 * old heartbeat, a live holder refused, concurrent acquirers (one wins), release only while it is ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, DataDirLock, holdDataDir, LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import { ownLockInfo, type LockInfo } from '../../src/store/lock-owner.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function dir(): Promise<string> {
  const d = await makeDataDir();
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

async function acquire(dataDir: string, o: Parameters<typeof DataDirLock.acquire>[2] = {}): Promise<DataDirLock> {
  const lock = await DataDirLock.acquire(dataDir, 'bot', o);
  cleanup.push(() => lock.release());
  return lock;
}

const lockFile = (dataDir: string) => path.join(dataDir, LOCK_FILE);
const readInfo = async (dataDir: string) => JSON.parse(await readFile(lockFile(dataDir), 'utf8')) as LockInfo;

/** a lock file as another process would have left it, `ageMs` since its last heartbeat */
async function plantLock(dataDir: string, info: Partial<LockInfo>, ageMs = 0): Promise<LockInfo> {
  const full = { ...ownLockInfo('bot'), ...info };
  await writeFile(lockFile(dataDir), JSON.stringify(full) + '\n');
  const at = new Date(Date.now() - ageMs);
  await utimes(lockFile(dataDir), at, at);
  return full;
}

/** the pid of a process that has exited */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

interface Holder {
  child: ChildProcess;
  go(): void;
  result: Promise<{ won: boolean; token?: string; error?: string }>;
}

/** test/helpers/lock-holder.ts in its own process, ready to try once `go()` is called */
async function startHolder(dataDir: string, holder: 'bot' | 'cli' = 'bot', command?: string): Promise<Holder> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lock-holder.ts', dataDir, holder, ...(command ? ['0', command] : [])], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      await new Promise((r) => child.once('exit', r));
    }
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe('ready');
  return {
    child,
    go: () => child.stdin!.write('go\n'),
    result: lines.next().then((l) => JSON.parse(String(l.value)) as { won: boolean; token?: string; error?: string }),
  };
}

describe('DataDirLock', () => {
  it('creates DATA_DIR/bot.lock saying who holds it, and refreshes its heartbeat', async () => {
    const dataDir = await dir();
    const lock = await acquire(path.join(dataDir, 'not-yet-there'), { heartbeatMs: 40 });
    const info = JSON.parse(await readFile(lock.file, 'utf8')) as LockInfo;
    expect(info).toMatchObject({ pid: process.pid, hostname: hostname(), holder: 'bot', token: lock.info.token });
    expect(info.pidNamespace).toMatch(/^pid:\[\d+\]$/);
    expect(Date.parse(info.startedAt)).toBeGreaterThan(Date.now() - 5_000);
    const before = (await stat(lock.file)).mtimeMs;
    await new Promise((r) => setTimeout(r, 150));
    expect((await stat(lock.file)).mtimeMs).toBeGreaterThan(before);
  });

  it('refuses while a live process holds it, naming that process in one line', async () => {
    const dataDir = await dir();
    const other = await startHolder(dataDir, 'bot');
    other.go();
    expect((await other.result).won).toBe(true);
    const held = await readInfo(dataDir);
    const err = await DataDirLock.acquire(dataDir, 'bot').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirBusyError);
    expect((err as Error).message).toBe(
      `DATA_DIR ${dataDir} is in use by another oig-chatops process (pid ${other.child.pid} on host ${hostname()}, since ${held.startedAt}); stop it first, or use another DATA_DIR`,
    );
    // and the file is still the holder's, untouched
    expect(await readInfo(dataDir)).toEqual(held);
  });

  it('names the command that holds it; a command\'s lock from before commands named themselves is "an oig-chatops command"', async () => {
    const dataDir = await dir();
    const cli = await startHolder(dataDir, 'cli', 'npm run oig');
    cli.go();
    await cli.result;
    expect((await readInfo(dataDir)).command).toBe('npm run oig');
    await expect(DataDirLock.acquire(dataDir, 'bot')).rejects.toThrow(new RegExp(`is in use by \`npm run oig\` \\(pid ${cli.child.pid} on host`));

    const older = await dir();
    const unnamed = await startHolder(older, 'cli');
    unnamed.go();
    await unnamed.result;
    expect((await readInfo(older)).command).toBeUndefined();
    await expect(DataDirLock.acquire(older, 'bot')).rejects.toThrow(new RegExp(`is in use by an oig-chatops command \\(pid ${unnamed.child.pid} on host`));
  });

  it('takes over a lock whose process is gone, at once', async () => {
    const dataDir = await dir();
    const pid = await deadPid();
    const stale = await plantLock(dataDir, { pid, processStart: undefined });
    const takeovers: string[] = [];
    const lock = await acquire(dataDir, { onTakeOver: (info, reason) => takeovers.push(`${info?.token} ${reason}`) });
    expect(takeovers).toEqual([`${stale.token} pid ${pid} is gone`]);
    expect((await readInfo(dataDir)).token).toBe(lock.info.token);
  });

  it('takes over a lock whose pid now names another process, or that was taken before a reboot', async () => {
    const dataDir = await dir();
    // this very process is alive, but it is not the process that started at tick "1"
    await plantLock(dataDir, { pid: process.pid, processStart: '1', token: 'reused-pid' });
    const reasons: string[] = [];
    const first = await DataDirLock.acquire(dataDir, 'bot', { onTakeOver: (_, r) => reasons.push(r) });
    await first.release();
    await plantLock(dataDir, { pid: process.pid, bootId: 'another-boot', token: 'before-reboot' });
    await acquire(dataDir, { onTakeOver: (_, r) => reasons.push(r) });
    expect(reasons).toEqual([`pid ${process.pid} is another process now`, `pid ${process.pid} ran before this machine restarted`]);
  });

  it('trusts only the heartbeat for a holder on another host or in another pid namespace', async () => {
    const dataDir = await dir();
    // a pid that is alive here means nothing for another host: only the heartbeat's age counts
    await plantLock(dataDir, { hostname: 'bot-7c9f-other', pid: 1 }, 1_000);
    await expect(DataDirLock.acquire(dataDir, 'bot')).rejects.toThrow(/in use by another oig-chatops process \(pid 1 on host bot-7c9f-other/);
    await plantLock(dataDir, { pidNamespace: 'pid:[4026599999]', pid: 1 }, 1_000);
    await expect(DataDirLock.acquire(dataDir, 'bot')).rejects.toThrow(DataDirBusyError);
    // three heartbeats (15 s by default) without a refresh: its holder is gone
    const stale = await plantLock(dataDir, { hostname: 'bot-7c9f-other', pid: 1 }, 16_000);
    const reasons: string[] = [];
    const lock = await acquire(dataDir, { onTakeOver: (info, r) => reasons.push(`${info?.token}: ${r}`) });
    expect(reasons).toEqual([`${stale.token}: held on bot-7c9f-other (${stale.pidNamespace}), where its pid cannot be checked from here, and its heartbeat is 16 s old`]);
    expect((await readInfo(dataDir)).token).toBe(lock.info.token);
  });

  it('an empty lock file (being written, or torn by a crash) counts as live while young, stale when old', async () => {
    const dataDir = await dir();
    await writeFile(lockFile(dataDir), '');
    await expect(DataDirLock.acquire(dataDir, 'bot')).rejects.toThrow('is in use by another oig-chatops process (its lock file is being written)');
    const old = new Date(Date.now() - 20_000);
    await utimes(lockFile(dataDir), old, old);
    const lock = await acquire(dataDir);
    expect((await readInfo(dataDir)).token).toBe(lock.info.token);
  });

  it('of many concurrent acquirers in one process exactly one wins a stale lock', async () => {
    const dataDir = await dir();
    await plantLock(dataDir, { pid: await deadPid(), processStart: undefined });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => DataDirLock.acquire(dataDir, 'bot')));
    const won = results.filter((r): r is PromiseFulfilledResult<DataDirLock> => r.status === 'fulfilled').map((r) => r.value);
    for (const l of won) cleanup.push(() => l.release());
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof DataDirBusyError)).toBe(true);
    expect((await readInfo(dataDir)).token).toBe(won[0]!.info.token);
  });

  it('of several processes racing for a stale lock exactly one wins, and its file stays', async () => {
    const dataDir = await dir();
    await plantLock(dataDir, { pid: await deadPid(), processStart: undefined });
    const holders = await Promise.all(Array.from({ length: 5 }, () => startHolder(dataDir)));
    for (const h of holders) h.go();
    const results = await Promise.all(holders.map((h) => h.result));
    expect(results.filter((r) => r.won)).toHaveLength(1);
    // a loser that reads the winner's file in the instant between its creation and its content says so
    const refusals = results.filter((r) => !r.won).map((r) => r.error ?? '');
    expect(refusals.filter((e) => !/is in use by another oig-chatops process \((pid \d+|its lock file is being written)/.test(e))).toEqual([]);
    const winner = results.find((r) => r.won)!;
    expect((await readInfo(dataDir)).token).toBe(winner.token);
    // nothing left over from the takeover but the winner's claim
    expect((await readdir(dataDir)).filter((n) => n.endsWith('.old'))).toEqual([]);
  });

  it('releases only while the file is its own, and tells a holder whose lock was taken over', async () => {
    const dataDir = await dir();
    const lock = await DataDirLock.acquire(dataDir, 'bot', { heartbeatMs: 30 });
    await lock.release();
    await expect(stat(lockFile(dataDir))).rejects.toThrow(/ENOENT/);

    const mine = await DataDirLock.acquire(dataDir, 'bot', { heartbeatMs: 30 });
    const lost = new Promise<string>((resolve) => mine.onLost(resolve));
    // what a process on another host does after judging this one stale: its own lock in place of ours
    await rm(lockFile(dataDir));
    const theirs = await plantLock(dataDir, { hostname: 'bot-7c9f-other', token: 'theirs' });
    expect(await lost).toContain('was taken over by another process');
    await mine.release();
    expect(await readInfo(dataDir)).toEqual(theirs);
  });

  it('holdDataDir shares one lock within a process: the file goes with the last share', async () => {
    const dataDir = await dir();
    const [a, b] = await Promise.all([holdDataDir(dataDir, 'bot'), holdDataDir(path.join(dataDir, '.'), 'bot')]);
    expect(a.info.token).toBe(b.info.token);
    await a.release();
    expect((await readInfo(dataDir)).token).toBe(b.info.token);
    await b.release();
    await expect(stat(lockFile(dataDir))).rejects.toThrow(/ENOENT/);
    const again = await holdDataDir(dataDir, 'cli');
    expect(again.info.token).not.toBe(a.info.token);
    await again.release();
  });
});
