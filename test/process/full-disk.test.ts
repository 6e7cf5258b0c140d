/**
 * Issue 11: a log that never lies. On a full disk a delivery is refused (5xx, Okta retries it) and its
 * partial bytes must not stay in the event log: the next delivery, answered 200 once space is back, must
 * survive a kill -9. Runs the real bot process on a real 2 MB tmpfs, so it needs root (mount); elsewhere it
 * is skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { postHook } from '../helpers/start-bot.ts';

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mounted: string[] = [];
afterEach(async () => {
  await stopProcesses();
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', ['-l', dir]);
    await rm(dir, { recursive: true, force: true });
  }
});

/** fills the file system of `dir` until a write fails; returns the filler's path */
async function fill(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler');
  const chunk = Buffer.alloc(16 * 1024, 1);
  let size = 0;
  for (;;) {
    try {
      await writeFile(filler, chunk, { flag: 'a' });
      size += chunk.length;
    } catch {
      break;
    }
    if (size > 64 * 1024 * 1024) throw new Error('the disk never filled up');
  }
  // the last few bytes too
  try {
    await writeFile(filler, Buffer.alloc(1024, 1), { flag: 'a' });
  } catch {
    /* full */
  }
  return filler;
}

describe.skipIf(!canMount())('a full disk (tmpfs, needs root)', () => {
  it('refuses the delivery it cannot store, says so on /healthz, and keeps the next acknowledged one across kill -9', async () => {
    const mnt = await mkdtemp(path.join(tmpdir(), 'oig-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
    mounted.push(mnt);
    const dataDir = path.join(mnt, 'data');
    const bot = await startProcess(dataDir);
    // big events so a commit needs more than the few bytes left
    const big = (n: number) => envelope(Array.from({ length: n }, () => decideEvent({ decision: 'APPROVE', notes: 'x'.repeat(4000) })));

    // a little room left, less than the delivery needs: the write gets partway, then fails
    const filler = await fill(mnt);
    await truncate(filler, (await stat(filler)).size - 16 * 1024);
    const refused = await postHook(bot.url, big(10));
    expect(refused.status).toBeGreaterThanOrEqual(500);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { message: string }).message).toMatch(/cannot write new events/);

    await rm(filler);
    const accepted = big(2);
    expect((await postHook(bot.url, accepted)).status).toBe(200);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    bot.child.kill('SIGKILL');
    await exited(bot.child);

    const store = new LowdbEventStore({ dataDir, retentionDays: 36500 });
    await store.open();
    const ids = (accepted.data.events as Array<{ uuid: string }>).map((e) => e.uuid);
    expect(ids.filter((id) => !store.has(id))).toEqual([]);
    await store.close();
  }, 60_000);
});
