import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { makeDataDir, postHook } from '../helpers/start-bot.ts';

const dirs: string[] = [];

afterEach(async () => {
  await stopProcesses();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('the bot process', () => {
  it('keeps every acknowledged event when killed with SIGKILL right after the 200', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const { child, url } = await startProcess(dataDir);
    const batches = Array.from({ length: 10 }, () => envelope([decideEvent({ decision: 'REVOKE' }), decideEvent({ decision: 'APPROVE' })]));
    const statuses = await Promise.all(batches.map((b) => postHook(url, b).then((r) => r.status)));
    child.kill('SIGKILL');
    await exited(child);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const store = new LowdbEventStore({ dataDir, retentionDays: 36500 });
    await store.open();
    const ids = batches.flatMap((b) => (b.data.events as Array<{ uuid: string }>).map((e) => e.uuid));
    expect(ids.filter((id) => !store.has(id))).toEqual([]);
    await store.close();

    // and the restarted bot serves them too
    const again = await startProcess(dataDir);
    expect(again.out()).toContain('(20 events stored)');
  });

  it('stops cleanly on SIGTERM: the store is flushed into its month files and the log is empty', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const { child, url } = await startProcess(dataDir);
    const event = decideEvent({ published: '2026-11-20T10:00:00.000Z' });
    expect((await postHook(url, envelope([event]))).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const logs = await readdir(path.join(dataDir, 'wal'));
    const sizes = await Promise.all(logs.map(async (f) => (await stat(path.join(dataDir, 'wal', f))).size));
    expect(sizes.every((n) => n === 0)).toBe(true);
    const segment = await readFile(path.join(dataDir, 'events', '2026-11', '000001.json'), 'utf8');
    expect(segment).toContain(event.uuid);
  });

  it('refuses to start with a bad variable, in one line naming it', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    await expect(startProcess(dataDir, { PORT: 'eighty' })).rejects.toThrow(/exited with 1:\noig-chatops: cannot start: PORT: must be a whole number/);
  });

  it('generates a hook secret once, keeps it in DATA_DIR and prints it', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const first = await startProcess(dataDir, { OKTA_HOOK_SECRET: '' });
    const secret = /authorization: (\S+)\s+\(generated now/.exec(first.out())?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await postHook(first.url, envelope([]), { authorization: secret! })).status).toBe(200);
    expect((await postHook(first.url, envelope([]), {})).status).toBe(401);
    first.child.kill('SIGTERM');
    await exited(first.child);
    const second = await startProcess(dataDir, { OKTA_HOOK_SECRET: '' });
    expect(second.out()).toContain(`authorization: ${secret}   (generated earlier`);
  });
});
