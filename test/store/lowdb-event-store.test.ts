import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionRecord, EventRecord } from '../../src/domain/records.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { SEGMENT_MAX_RECORDS } from '../../src/store/segments.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

let n = 0;
function decision(over: Partial<DecisionRecord> = {}): DecisionRecord {
  n++;
  return {
    id: `evt-${n}`,
    type: 'certification.campaign.item.decide',
    family: 'certification',
    kind: 'decision',
    at: '2026-11-20T10:00:00.000Z',
    src: 'hook',
    campaign: { id: 'cmp1', name: 'Q4 Salesforce review' },
    item: `item-${n}`,
    principal: { id: '00u1', name: 'Alice Example', login: 'alice@example.com' },
    resource: { id: '0oa1', name: 'Salesforce', type: 'APPLICATION' },
    decision: 'REVOKE',
    ...over,
  };
}

const dirs: string[] = [];
async function openStore(dir?: string, retentionDays = 400): Promise<LowdbEventStore> {
  const dataDir = dir ?? (await makeDataDir());
  dirs.push(dataDir);
  // checkpoints only when a test asks, so what is on disk at each step is known
  const store = new LowdbEventStore({ dataDir, retentionDays, checkpointMs: 3_600_000 });
  await store.open();
  return store;
}
const dataDirOf = () => dirs[dirs.length - 1]!;
const walDir = () => path.join(dataDirOf(), 'wal');
async function walLines(): Promise<string[]> {
  const files = (await readdir(walDir())).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(walDir(), f), 'utf8')));
  return texts.join('').split('\n').filter(Boolean);
}

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('LowdbEventStore', () => {
  it('makes records durable in the log, then in month segment files, and deduplicates on id', async () => {
    const store = await openStore();
    const a = decision();
    const first = await store.append([a, decision()]);
    expect(first.stored.map((r) => r.id)).toEqual([a.id, `evt-${n}`]);
    const again = await store.append([a]);
    expect(again).toEqual({ stored: [], duplicates: 1 });
    // one line per commit: the log position of its first record, then the records as they arrived
    // (each stored record carries its position field from birth, 0 in the line, given by `s` on replay)
    const asWritten = first.stored.map((r) => ({ ...r, seq: 0 }));
    expect(await walLines()).toEqual([`{"s":1,"r":${JSON.stringify(asWritten)}}`]);
    expect(first.stored.map((r) => r.seq)).toEqual([1, 2]);
    await store.checkpoint();
    expect(await walLines()).toEqual([]);
    const file = path.join(dataDirOf(), 'events', '2026-11', '000001.json');
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { records: EventRecord[] };
    expect(onDisk.records.map((r) => r.id)).toEqual([a.id, `evt-${n}`]);
    expect(store.stats().events).toBe(2);
  });

  it('deduplicates within one append and across concurrent appends', async () => {
    const store = await openStore();
    const a = decision();
    const results = await Promise.all([store.append([a, a]), store.append([a]), store.append([decision()])]);
    expect(results.map((r) => r.stored.length)).toEqual([1, 0, 1]);
    expect(results.map((r) => r.duplicates)).toEqual([1, 1, 0]);
    expect(store.stats().events).toBe(2);
  });

  it('groups concurrent appends into one write', async () => {
    const store = await openStore();
    await store.append([decision()]);
    expect(store.stats().commits).toBe(1);
    await Promise.all(Array.from({ length: 50 }, () => store.append([decision()])));
    // one log write (one flush to disk) for the fifty
    expect(store.stats().commits).toBe(2);
    expect((await walLines()).map((l) => (JSON.parse(l) as { r: unknown[] }).r.length)).toEqual([1, ...Array<number>(50).fill(1)]);
  });

  it('replays the log after a crash that came before the checkpoint', async () => {
    const store = await openStore();
    const a = decision({ item: 'crash-1' });
    await store.append([a]);
    await store.append([decision()]);
    // a commit cut short mid-write leaves a torn last line; it was never acknowledged
    const [log] = await readdir(walDir());
    await appendFile(path.join(walDir(), log!), '[{"id":"torn","ty');
    // no close(): the process died here
    const again = await openStore(dataDirOf());
    expect(again.get(a.id)).toEqual({ ...a, seq: 1 });
    expect(again.lookup('item', 'crash-1')).toEqual([{ ...a, seq: 1 }]);
    expect(again.stats().events).toBe(2);
    expect(again.has('torn')).toBe(false);
    // the start-up checkpoint moved them into segments and dropped the old logs
    expect(await walLines()).toEqual([]);
    const onDisk = JSON.parse(await readFile(path.join(dataDirOf(), 'events', '2026-11', '000001.json'), 'utf8')) as { records: EventRecord[] };
    expect(onDisk.records).toHaveLength(2);
  });

  it('rolls to a new segment file when one is full and writes only the open one', async () => {
    const store = await openStore();
    await store.append(Array.from({ length: SEGMENT_MAX_RECORDS + 10 }, () => decision()));
    await store.checkpoint();
    const files = await readdir(path.join(dataDirOf(), 'events', '2026-11'));
    expect(files.sort()).toEqual(['000001.json', '000002.json']);
    const first = await stat(path.join(dataDirOf(), 'events', '2026-11', '000001.json'));
    const before = store.stats().bytesWritten;
    const d = decision();
    const stored = (await store.append([d])).stored[0]!;
    await store.checkpoint();
    const written = store.stats().bytesWritten - before;
    const second = (await stat(path.join(dataDirOf(), 'events', '2026-11', '000002.json'))).size;
    // the log line plus the open segment; the full one is not touched
    expect(stored.seq).toBe(SEGMENT_MAX_RECORDS + 11);
    expect(written).toBe(second + `{"s":${stored.seq},"r":${JSON.stringify([{ ...stored, seq: 0 }])}}\n`.length);
    expect(written).toBeLessThan(20_000);
    expect((await stat(path.join(dataDirOf(), 'events', '2026-11', '000001.json'))).mtimeMs).toBe(first.mtimeMs);
  });

  it('puts events into the file of the month they happened in', async () => {
    const store = await openStore();
    await store.append([decision({ at: '2026-09-30T23:59:59.000Z' }), decision({ at: '2026-10-01T00:00:00.000Z' })]);
    await store.checkpoint();
    expect((await readdir(path.join(dataDirOf(), 'events'))).sort()).toEqual(['2026-09', '2026-10']);
  });

  it('reloads records and rebuilds every index after a restart', async () => {
    const store = await openStore();
    const d = decision({ item: 'itm-42', at: '2026-11-02T00:00:00.000Z' });
    await store.append([d, decision({ at: '2026-11-01T00:00:00.000Z' })]);
    await store.close();
    const again = await openStore(dataDirOf());
    expect(again.get(d.id)).toEqual({ ...d, seq: 1 });
    expect(again.lookup('item', 'itm-42')).toEqual([{ ...d, seq: 1 }]);
    expect(again.lookup('principal', 'ALICE@example.com')).toHaveLength(2);
    expect(again.lookup('principal', 'alice example')).toHaveLength(2);
    expect(again.lookup('resource', 'salesforce')).toHaveLength(2);
    expect(again.lookup('campaign', 'cmp1')).toHaveLength(2);
    expect(again.lookup('type', 'certification.campaign.item.decide')).toHaveLength(2);
    expect(again.between().map((r) => r.at)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
    expect(again.decisionFor('itm-42')?.id).toBe(d.id);
  });

  it('keeps the timeline in event time order whatever the arrival order', async () => {
    const store = await openStore();
    await store.append([decision({ at: '2026-11-03T00:00:00.000Z' })]);
    await store.append([decision({ at: '2026-11-01T00:00:00.000Z' })]);
    await store.append([decision({ at: '2026-11-02T00:00:00.000Z' })]);
    expect(store.between().map((r) => r.at.slice(8, 10))).toEqual(['01', '02', '03']);
    expect(store.between('2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z')).toHaveLength(1);
  });

  it('drops events older than the retention window, on disk and in the indexes', async () => {
    const store = await openStore(undefined, 30);
    const now = new Date('2026-11-21T12:00:00.000Z');
    const old = decision({ at: '2026-09-01T00:00:00.000Z', item: 'old' });
    const edgeOld = decision({ at: '2026-10-22T11:00:00.000Z', item: 'edge-old' });
    const edgeNew = decision({ at: '2026-10-22T13:00:00.000Z', item: 'edge-new' });
    const fresh = decision({ at: '2026-11-20T00:00:00.000Z', item: 'fresh' });
    await store.append([old, edgeOld, edgeNew, fresh]);
    expect(await store.applyRetention(now)).toBe(2);
    expect(store.lookup('item', 'old')).toEqual([]);
    expect(store.has(edgeOld.id)).toBe(false);
    expect(store.has(edgeNew.id) && store.has(fresh.id)).toBe(true);
    // position.json: the log position survives the records retention drops (new records never reuse it)
    expect((await readdir(path.join(dataDirOf(), 'events'))).sort()).toEqual(['2026-10', '2026-11', 'position.json']);
    await store.close();
    const again = await openStore(dataDirOf(), 30);
    expect(again.stats().events).toBe(2);
  });

  it('keeps the log when a checkpoint fails, and loses nothing', async () => {
    const store = await openStore();
    // a file where the month folder must go makes the segment write fail
    await mkdir(path.join(dataDirOf(), 'events'), { recursive: true });
    await writeFile(path.join(dataDirOf(), 'events', '2026-08'), 'in the way');
    const d = decision({ at: '2026-08-05T00:00:00.000Z' });
    expect((await store.append([d])).stored).toHaveLength(1);
    await expect(store.checkpoint()).rejects.toThrow();
    expect(await walLines()).toHaveLength(1);
    const meanwhile = await openStore(dataDirOf()).catch((e: unknown) => e);
    expect(meanwhile).toBeInstanceOf(Error); // the obstacle is still there
    await rm(path.join(dataDirOf(), 'events', '2026-08'));
    await store.checkpoint();
    expect(await walLines()).toEqual([]);
    await store.close();
    expect((await openStore(dataDirOf())).get(d.id)).toEqual({ ...d, seq: expect.any(Number) });
  });

  it('refuses appends after close and waits for pending writes when closing', async () => {
    const store = await openStore();
    const pending = store.append([decision()]);
    await store.close();
    expect((await pending).stored).toHaveLength(1);
    await expect(store.append([decision()])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    expect(store.isOpen).toBe(false);
  });

  it('counts campaign totals from the latest decision and remediation per item', async () => {
    const store = await openStore();
    await store.append([
      decision({ item: 'i1', decision: 'APPROVE', at: '2026-11-01T00:00:00.000Z' }),
      decision({ item: 'i1', decision: 'REVOKE', at: '2026-11-02T00:00:00.000Z' }),
      decision({ item: 'i2', decision: 'NORESPONSE' }),
      { ...decision({ item: 'i1' }), kind: 'remediation', type: 'certification.campaign.item.remediate', outcome: 'SKIPPED' } as EventRecord,
    ]);
    expect(store.campaignTotals({ id: 'cmp1' })).toEqual({ decisions: { REVOKE: 1, NORESPONSE: 1 }, remediations: { SKIPPED: 1 }, items: 2 });
    expect(store.campaignTotals({ name: 'q4 salesforce REVIEW' }).items).toBe(2);
    // an older decision arriving late changes nothing; a newer one moves one count
    await store.append([decision({ item: 'i2', decision: 'APPROVE', at: '2026-11-01T00:00:00.000Z' })]);
    expect(store.campaignTotals({ id: 'cmp1' }).decisions).toEqual({ REVOKE: 1, NORESPONSE: 1 });
    await store.append([decision({ item: 'i2', decision: 'APPROVE', at: '2026-11-25T00:00:00.000Z' })]);
    expect(store.campaignTotals({ id: 'cmp1' })).toEqual({ decisions: { REVOKE: 1, APPROVE: 1 }, remediations: { SKIPPED: 1 }, items: 2 });
    // the same after a restart, when the indexes are rebuilt in file order
    await store.close();
    const again = await openStore(dataDirOf());
    expect(again.campaignTotals({ id: 'cmp1' })).toEqual({ decisions: { REVOKE: 1, APPROVE: 1 }, remediations: { SKIPPED: 1 }, items: 2 });
    expect(again.campaignTotals({ id: 'nope' })).toEqual({ decisions: {}, remediations: {}, items: 0 });
  });
});
