/**
 * SegmentSet.readAll reads the next segment file while the caller works on this one. When that next file
 * is unreadable and its read fails while the caller is still busy, the failure must come out of readAll in
 * its turn — never as an unhandled rejection, which ends the process (seen once in CI during the load).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SegmentSet } from '../../src/store/segments.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

it('an unreadable next segment that fails while the caller is busy fails readAll in its turn, with no unhandled rejection', async () => {
  const dir = path.join(await makeDataDir(), 'events');
  dirs.push(path.dirname(dir));
  await mkdir(path.join(dir, '2026-11'), { recursive: true });
  await writeFile(path.join(dir, '2026-11', '000001.json'), '{"records":[]}');
  await writeFile(path.join(dir, '2026-11', '000002.json'), '#not json');
  expect(await readdir(path.join(dir, '2026-11'))).toHaveLength(2);

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const segments = new SegmentSet(dir);
    await segments.scan();
    const visited: number[] = [];
    // the first segment's work outlasts the second one's failed read
    const done = segments.readAll(async (seg) => {
      visited.push(seg.seq);
      await new Promise((r) => setTimeout(r, 100));
    });
    await expect(done).rejects.toThrow(SyntaxError);
    expect(visited).toEqual([1]);
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
