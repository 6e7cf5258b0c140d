import { randomUUID } from 'node:crypto';
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/domain/records.ts';
import { IdKeySet } from '../../src/store/id-keys.ts';
import { decodeSnapshot, encodeSnapshot, ID_SNAPSHOT_FILE, readSnapshot } from '../../src/store/id-snapshot.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

let n = 0;
function decision(over: Partial<DecisionRecord> = {}): DecisionRecord {
  n++;
  return {
    id: randomUUID(),
    type: 'certification.campaign.item.decide',
    family: 'certification',
    kind: 'decision',
    at: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`,
    src: 'hook',
    campaign: { id: 'cmp1', name: 'Q4 Salesforce review' },
    item: `item-${n}`,
    principal: { id: '00u1', name: 'Alice Example', login: 'alice@example.com' },
    resource: { id: '0oa1', name: 'Salesforce', type: 'APPLICATION' },
    decision: 'REVOKE',
    ...over,
  };
}

/** enough segment files (~80) that a load is still running after a commit or two */
const STORED = 20_000;
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** a store that loads in the background from its first segment file (the default waits for 64) */
function storeIn(dataDir: string, unusable: string[] = []): LowdbEventStore {
  return new LowdbEventStore({ dataDir, retentionDays: 36500, checkpointMs: 3_600_000, backgroundLoadFrom: 0, onSnapshotUnusable: (why) => unusable.push(why) });
}

/** a data folder with `count` records in ~count/256 segment files, closed cleanly (so with an id snapshot) */
async function filledDir(count: number): Promise<{ dataDir: string; ids: string[] }> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const store = storeIn(dataDir);
  await store.open();
  const records = Array.from({ length: count }, () => decision());
  for (let i = 0; i < records.length; i += 500) await store.append(records.slice(i, i + 500));
  await store.close();
  return { dataDir, ids: records.map((r) => r.id) };
}

describe('IdKeySet', () => {
  it('holds UUIDs and other ids exactly, across growth', () => {
    const set = new IdKeySet(4);
    const uuids = Array.from({ length: 5000 }, () => randomUUID());
    const others = Array.from({ length: 5000 }, (_, i) => `asa:event-${i}`);
    for (const id of [...uuids, ...others]) expect(set.add(id)).toBe(true);
    expect(set.add(uuids[0]!)).toBe(false);
    expect(set.size).toBe(10_000);
    expect([...uuids, ...others].every((id) => set.has(id))).toBe(true);
    expect(set.has(randomUUID())).toBe(false);
    expect(set.has('asa:event-5000')).toBe(false);
    // ids are case-sensitive strings: the same UUID in capitals is another id
    expect(set.has(uuids[1]!.toUpperCase())).toBe(false);
  });
});

describe('the id snapshot file', () => {
  const snapshot = () => {
    const keys = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    return { lastSeq: 42, segments: [{ month: '2026-11', seq: 1, ino: 7, size: 100, mtimeMs: 1.5, keys }] };
  };

  it('reads back what was written', () => {
    const decoded = decodeSnapshot(encodeSnapshot(snapshot()));
    expect(typeof decoded).not.toBe('string');
    if (typeof decoded === 'string') return;
    expect(decoded.lastSeq).toBe(42);
    expect([...decoded.segments[0]!.keys]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('is refused when torn or damaged', () => {
    const bytes = encodeSnapshot(snapshot());
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 10))).toMatch(/checksum/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 12]! ^= 0xff;
    expect(decodeSnapshot(flipped)).toMatch(/checksum/);
    expect(decodeSnapshot(Buffer.from('{"records":[]}'))).toMatch(/not an id snapshot/);
  });
});

describe('LowdbEventStore fast start', () => {
  it('refuses duplicates and takes new records while loading; indexes each record once when loaded', async () => {
    const { dataDir, ids } = await filledDir(STORED);
    const store = storeIn(dataDir);
    await store.open();
    expect(store.loadProgress()).toMatchObject({ total: STORED });
    expect(store.loadProgress()!.loaded).toBeLessThan(STORED);
    expect(store.stats().events).toBe(STORED);
    expect(store.has(ids[0]!)).toBe(true);
    const fresh = decision({ item: 'during-load' });
    const result = await store.append([decision({ id: ids[17]! }), fresh]);
    expect(store.loadProgress()).toBeDefined();
    expect(result.duplicates).toBe(1);
    expect(result.stored.map((r) => r.id)).toEqual([fresh.id]);
    expect(result.stored[0]!.seq).toBe(STORED + 1);
    expect(store.has(fresh.id)).toBe(true);
    await store.whenLoaded();
    expect(store.loadProgress()).toBeUndefined();
    expect(store.stats().events).toBe(STORED + 1);
    expect(store.lookup('item', 'during-load')).toHaveLength(1);
    expect(store.lookup('principal', 'alice@example.com')).toHaveLength(STORED + 1);
    expect(store.recordsAfter(STORED).map((r) => r.id)).toEqual([fresh.id]);
    expect(store.between().length).toBe(STORED + 1);
    await store.close();
    const again = storeIn(dataDir);
    await again.open();
    await again.whenLoaded();
    expect(again.stats().events).toBe(STORED + 1);
    expect(again.lookup('item', 'during-load')).toHaveLength(1);
    await again.close();
  });

  it('reads the segment files written after the snapshot (a kill -9 before it was rewritten)', async () => {
    const { dataDir } = await filledDir(3000);
    const store = storeIn(dataDir);
    await store.open();
    await store.whenLoaded();
    // new records reach the segment files, but the snapshot is only rewritten at close or every 10k
    const late = Array.from({ length: 300 }, () => decision());
    await store.append(late);
    await store.checkpoint();
    const crashed = await makeDataDir();
    dirs.push(crashed);
    await cp(dataDir, crashed, { recursive: true });
    await store.close();

    const unusable: string[] = [];
    const after = storeIn(crashed, unusable);
    await after.open();
    expect(unusable).toEqual([]);
    expect(after.loadProgress()).toBeDefined();
    expect(after.stats().events).toBe(3300);
    expect(after.has(late[299]!.id)).toBe(true);
    expect((await after.append([late[0]!])).duplicates).toBe(1);
    const next = (await after.append([decision()])).stored[0]!;
    expect(next.seq).toBe(3301);
    await after.whenLoaded();
    expect(after.stats().events).toBe(3301);
    await after.close();
  });

  it('keeps what was acknowledged during a load that was stopped, and loads it next time', async () => {
    const { dataDir } = await filledDir(STORED);
    const store = storeIn(dataDir);
    await store.open();
    const during = decision({ item: 'acked-during-load' });
    await store.append([during]);
    expect(store.loadProgress()).toBeDefined();
    // close() abandons the load and writes nothing but the log: the same files a kill -9 leaves
    await store.close();

    const again = storeIn(dataDir);
    await again.open();
    expect(again.has(during.id)).toBe(true);
    expect((await again.append([during])).duplicates).toBe(1);
    await again.whenLoaded();
    expect(again.lookup('item', 'acked-during-load').map((r) => r.seq)).toEqual([STORED + 1]);
    expect(again.stats().events).toBe(STORED + 1);
    await again.close();
  });

  it('loads everything first when the snapshot is torn, says why, and writes a good one', async () => {
    const { dataDir, ids } = await filledDir(1000);
    const file = path.join(dataDir, ID_SNAPSHOT_FILE);
    const whole = await readFile(file);
    await truncate(file, whole.length - 100);
    const unusable: string[] = [];
    const store = storeIn(dataDir, unusable);
    await store.open();
    expect(unusable).toEqual(['its checksum does not match (torn or damaged)']);
    expect(store.loadProgress()).toBeUndefined();
    expect(store.has(ids[999]!)).toBe(true);
    await store.close();
    const { snapshot } = await readSnapshot(file);
    expect(snapshot?.segments.reduce((k, s) => k + s.keys.length / 4, 0)).toBe(1000);
  });

  it('reads a segment file rewritten since the snapshot (retention) instead of trusting the ids it had', async () => {
    const { dataDir, ids } = await filledDir(600);
    // the snapshot lists the first segment's ids; the file is then rewritten without them
    await writeFile(path.join(dataDir, 'events', '2026-11', '000001.json'), '{"records":[]}');
    const store = storeIn(dataDir);
    await store.open();
    expect(store.has(ids[0]!)).toBe(false);
    expect(store.has(ids[599]!)).toBe(true);
    await store.whenLoaded();
    expect(store.stats().events).toBe(600 - 256);
    await store.close();
  });

  it('says so, and takes nothing more, when a segment file turns out unreadable during the load', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const writer = storeIn(dataDir);
    await writer.open();
    await writer.append(Array.from({ length: STORED }, () => decision()));
    await writer.checkpoint();
    // damage the disk could do behind the store's back: the snapshot written at close vouches for the file
    const file = path.join(dataDir, 'events', '2026-11', '000070.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, '#' + text.slice(1));
    await writer.close();
    const store = storeIn(dataDir);
    await store.open();
    await expect(store.whenLoaded()).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED' });
    expect(store.health()).toMatchObject({ ok: false, problem: expect.stringMatching(/^the event store could not load its files: /) });
    await expect(store.append([decision()])).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED', status: 503 });
    await store.close();
  });
});
