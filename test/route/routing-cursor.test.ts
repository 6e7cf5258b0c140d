import { FileStateStore } from '../../src/store/file-state-store.ts';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RoutingCursor } from '../../src/route/routing-cursor.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('RoutingCursor', () => {
  it('flushes at once when there is nothing new to write (a stop with nothing routed)', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const cursor = await RoutingCursor.open(new FileStateStore(dir));
    await cursor.flush();
    await cursor.flush();
    expect(cursor.position).toBe(0);
  });

  it('writes the newest position within a second, or at flush, and reads it back', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const cursor = await RoutingCursor.open(new FileStateStore(dir));
    for (let p = 1; p <= 50; p++) cursor.advance(p);
    cursor.advance(20); // never backwards
    expect(cursor.position).toBe(50);
    await cursor.flush();
    expect(JSON.parse(await readFile(path.join(dir, 'state', 'routing.json'), 'utf8'))).toEqual({ routedThrough: 50 });
    cursor.advance(60);
    await new Promise((r) => setTimeout(r, 1300));
    expect((await RoutingCursor.open(new FileStateStore(dir))).position).toBe(60);
    await cursor.flush();
  });
});
