/**
 * Replay of the event log after a crash (issue 11: "replay tolerates only a torn last record and reports
 * anything else loudly") and log positions across restarts and retention.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { decision } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function dataDirWithLog(lines: string): Promise<string> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  await mkdir(path.join(dataDir, 'wal'), { recursive: true });
  await writeFile(path.join(dataDir, 'wal', '00000001.jsonl'), lines);
  return dataDir;
}

const line = (s: number, ids: string[]) => `{"s":${s},"r":${JSON.stringify(ids.map((id) => decision({ id, at: '2026-11-20T10:00:00.000Z' })))}}`;

describe('event log replay', () => {
  it('keeps every whole commit and drops only a torn last line, quietly', async () => {
    const dataDir = await dataDirWithLog(`${line(1, ['a'])}\n${line(2, ['b', 'c'])}\n{"s":4,"r":[{"id":"d","ty`);
    const damage: unknown[] = [];
    const store = new LowdbEventStore({ dataDir, retentionDays: 36500, onDamagedLog: (d) => damage.push(d) });
    await store.open();
    expect(['a', 'b', 'c'].map((id) => store.get(id)?.seq)).toEqual([1, 2, 3]);
    expect(store.has('d')).toBe(false);
    expect(store.lastSeq).toBe(3);
    expect(damage).toEqual([]);
    await store.close();
  });

  it('reports an unreadable line in the middle loudly, keeps the readable ones and sets the file aside', async () => {
    const dataDir = await dataDirWithLog(`${line(1, ['a'])}\nnot json at all\n${line(3, ['c'])}\n`);
    const damage: Array<{ file: string; lines: number[] }> = [];
    const store = new LowdbEventStore({ dataDir, retentionDays: 36500, onDamagedLog: (d) => damage.push(d) });
    await store.open();
    expect(damage).toEqual([expect.objectContaining({ file: '00000001.jsonl', lines: [2] })]);
    expect(store.has('a') && store.has('c')).toBe(true);
    await store.close();
    // the records are in the segment files now; the damaged log is kept for a person, not deleted
    const left = await readdir(path.join(dataDir, 'wal'));
    expect(left.some((f) => f.startsWith('00000001.jsonl.damaged-'))).toBe(true);
  });

  it('continues positions after a restart, and after retention dropped the newest records', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    let store = new LowdbEventStore({ dataDir, retentionDays: 30 });
    await store.open();
    await store.append([decision({ id: 'new', at: '2026-11-20T10:00:00.000Z' })]);
    // a backfilled event from long ago arrives last: it holds the newest position
    await store.append([decision({ id: 'ancient', at: '2025-01-01T10:00:00.000Z' })]);
    expect(store.lastSeq).toBe(2);
    expect(await store.applyRetention(new Date('2026-11-21T00:00:00.000Z'))).toBe(1);
    await store.close();
    store = new LowdbEventStore({ dataDir, retentionDays: 30 });
    await store.open();
    expect(store.lastSeq).toBe(2);
    const { stored } = await store.append([decision({ id: 'next', at: '2026-11-20T11:00:00.000Z' })]);
    expect(stored[0]!.seq).toBe(3);
    expect(store.recordsAfter(1).map((r) => r.id)).toEqual(['next']);
    await store.close();
  });
});
