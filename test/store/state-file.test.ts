import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateFile } from '../../src/store/state-file.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

interface Checkpoint {
  offset?: string;
  runs: number[];
}

describe('StateFile', () => {
  it('starts from the defaults and keeps every update across a restart', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const first = await new StateFile<Checkpoint>(dir, 'asa-checkpoint', { runs: [] }).open();
    expect(first.data).toEqual({ runs: [] });
    await Promise.all([first.update((d) => void d.runs.push(1)), first.update((d) => void d.runs.push(2)), first.update((d) => void (d.offset = 'abc'))]);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'state', 'asa-checkpoint.json'), 'utf8')) as Checkpoint;
    expect(onDisk).toEqual({ runs: [1, 2], offset: 'abc' });
    const again = await new StateFile<Checkpoint>(dir, 'asa-checkpoint', { runs: [] }).open();
    expect(again.data).toEqual({ runs: [1, 2], offset: 'abc' });
  });

  it('undoes a change whose write failed', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const state = await new StateFile<Checkpoint>(dir, 'outbox', { runs: [] }).open();
    await state.update((d) => void d.runs.push(1));
    // a folder where the temp file must go makes the write fail
    await mkdir(path.join(dir, 'state', '.outbox.json.tmp'));
    await expect(state.update((d) => void d.runs.push(2))).rejects.toThrow();
    expect(state.data.runs).toEqual([1]);
    await rm(path.join(dir, 'state', '.outbox.json.tmp'), { recursive: true });
    await state.update((d) => void d.runs.push(3));
    expect(state.data.runs).toEqual([1, 3]);
  });

  it('refuses a name that could escape the state folder', () => {
    expect(() => new StateFile('/tmp', '../events', {})).toThrow(/lower-case/);
  });

  it('reads a state file written earlier', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    await mkdir(path.join(dir, 'state'));
    await writeFile(path.join(dir, 'state', 'threads.json'), '{"runs":[7]}');
    expect((await new StateFile<Checkpoint>(dir, 'threads', { runs: [] }).open()).data.runs).toEqual([7]);
  });
});
