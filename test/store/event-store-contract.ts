/**
 * The guarantees every event store keeps (SPEC §7, §9; src/store/event-store.ts), as one suite that runs
 * against each store: lowdb-contract.test.ts and postgres-contract.test.ts. A store is tested through its
 * interface only, over a "place" (a data folder, a database) that several store instances can open in
 * turn, so durability is checked by reopening, and once by a kill -9 of a child process that appended.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRequestRecord, DecisionRecord, EventRecord, RemediationRecord } from '../../src/domain/records.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { accessRequest, asa as asaRecord, bob, decision, remediation } from '../helpers/records.ts';

export interface StoreOptions {
  retentionDays?: number;
}

/** where a store keeps its events; each `create()` is a new, unopened store instance over the same events */
export interface StorePlace {
  create(o?: StoreOptions): EventStore;
  /**
   * An ESM module body for a child process: it must `export const store = …` (a new store over this place,
   * not opened), with import paths absolute.
   */
  childModule: string;
  /** true for a store whose open() resolves before its read indexes are loaded (the contract checks the progress it reports) */
  loadsInBackground: boolean;
  remove(): Promise<void>;
}

export type StorePlaceFactory = () => Promise<StorePlace>;

let n = 0;
/** a decision with a new id and campaign item each time */
function next(over: Partial<DecisionRecord> = {}): DecisionRecord {
  n++;
  return decision({ id: `c-${n}`, item: `item-${n}`, at: '2026-11-20T10:00:00.000Z', ...over });
}
const ids = (rs: readonly EventRecord[]) => rs.map((r) => r.id);
const seqs = (rs: readonly EventRecord[]) => rs.map((r) => r.seq);

export function eventStoreContract(name: string, factory: StorePlaceFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    const places: StorePlace[] = [];
    const stores: EventStore[] = [];
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close().catch(() => undefined);
      for (const p of places.splice(0)) await p.remove();
    });
    async function place(): Promise<StorePlace> {
      const p = await factory();
      places.push(p);
      return p;
    }
    async function open(p: StorePlace, o?: StoreOptions): Promise<EventStore> {
      const s = p.create(o);
      stores.push(s);
      await s.open();
      await s.whenLoaded();
      return s;
    }
    async function reopen(p: StorePlace, old: EventStore, o?: StoreOptions): Promise<EventStore> {
      await old.close();
      return open(p, o);
    }

    it('stores new records with positions 1, 2, 3 … and refuses duplicates, also within one call and between concurrent calls', async () => {
      const store = await open(await place());
      const a = next();
      const b = next();
      const first = await store.append([a, b, a]);
      expect(ids(first.stored)).toEqual([a.id, b.id]);
      expect(seqs(first.stored)).toEqual([1, 2]);
      expect(first.duplicates).toBe(1);
      expect(await store.append([a])).toEqual({ stored: [], duplicates: 1 });
      const c = next();
      const results = await Promise.all([store.append([c, c]), store.append([c, b]), store.append([next()])]);
      expect(results.map((r) => r.stored.length)).toEqual([1, 0, 1]);
      expect(results.map((r) => r.duplicates)).toEqual([1, 2, 0]);
      expect(store.stats().events).toBe(4);
      expect(store.get(a.id)).toEqual({ ...a, seq: 1 });
      expect(store.has(c.id) && !store.has('nope')).toBe(true);
    });

    it('keeps every acknowledged record across close and reopen, and still refuses their duplicates', async () => {
      const p = await place();
      let store = await open(p);
      const a = next();
      const records = [a, next(), next()];
      await store.append(records);
      store = await reopen(p, store);
      expect(store.stats().events).toBe(3);
      expect(store.get(a.id)).toEqual({ ...a, seq: 1 });
      const again = await store.append([a, next()]);
      expect(again.duplicates).toBe(1);
      expect(seqs(again.stored)).toEqual([4]);
    });

    it('keeps records whose append resolved when the process that appended is killed -9', async () => {
      const p = await place();
      const records = Array.from({ length: 30 }, () => next());
      const acked = await appendInChildThenKill(p.childModule, records);
      expect(acked).toBe(records.length);
      const store = await open(p);
      expect(ids(store.recordsAfter(0))).toEqual(ids(records));
      expect((await store.append(records.slice(0, 5))).duplicates).toBe(5);
    });

    it('finds records by every index, case-insensitively where people type names, and lists each index\u2019s keys', async () => {
      const p = await place();
      let store = await open(p);
      const d = next({ item: 'itm-42', at: '2026-11-02T00:00:00.000Z' });
      const rem = remediation({ id: 'rem-42', item: 'itm-42', outcome: 'SKIPPED', at: '2026-11-03T00:00:00.000Z' });
      const req = accessRequest('create', { id: 'req-1', request: 'REQ1', requestedFor: bob, at: '2026-11-04T00:00:00.000Z' });
      const asa = asaRecord({ id: 'asa:1', user: 'alice@example.com', server: 'web-01', at: '2026-11-05T00:00:00.000Z' });
      await store.append([d, rem, req, asa]);
      // the same answers from what was written and from what was loaded again
      for (const s of [store, (store = await reopen(p, store))]) {
        expect(ids(s.lookup('item', 'itm-42'))).toEqual([d.id, rem.id]);
        expect(ids(s.lookup('principal', 'ALICE@example.com'))).toEqual([d.id, rem.id, asa.id]);
        expect(ids(s.lookup('principal', 'alice example'))).toEqual([d.id, rem.id]);
        expect(ids(s.lookup('principal', bob.id!))).toEqual([req.id]);
        expect(ids(s.lookup('resource', 'salesforce'))).toEqual([d.id, rem.id, req.id]);
        expect(ids(s.lookup('resource', '0OA1SFDC'))).toEqual([d.id, rem.id, req.id]);
        expect(ids(s.lookup('resource', 'web-01'))).toEqual([asa.id]);
        expect(ids(s.lookup('campaign', 'q2 ACCESS review'))).toEqual([d.id, rem.id]);
        expect(ids(s.lookup('request', 'REQ1'))).toEqual([req.id]);
        expect(ids(s.lookup('type', 'certification.campaign.item.remediate'))).toEqual([rem.id]);
        expect(s.lookup('item', 'nope')).toEqual([]);
        expect([...s.keys('type')].sort()).toEqual([asa.type, req.type, d.type, rem.type].sort());
        expect([...s.keys('request')]).toEqual(['REQ1']);
        expect(s.decisionFor('itm-42')?.id).toBe(d.id);
        expect(s.requestEvents('REQ1').map((r: AccessRequestRecord) => r.id)).toEqual([req.id]);
        expect(s.campaignTotals({ name: 'Q2 access review' })).toEqual({ decisions: { REVOKE: 1 }, remediations: { SKIPPED: 1 }, items: 1 });
        expect((s.get(rem.id) as RemediationRecord).outcome).toBe('SKIPPED');
      }
    });

    it('answers a period in event time order whatever the arrival order (between: from inclusive, to exclusive)', async () => {
      const p = await place();
      let store = await open(p);
      await store.append([next({ at: '2026-11-03T00:00:00.000Z' })]);
      await store.append([next({ at: '2026-11-01T00:00:00.000Z' }), next({ at: '2026-11-04T00:00:00.000Z' })]);
      await store.append([next({ at: '2026-11-02T00:00:00.000Z' })]);
      for (const s of [store, (store = await reopen(p, store))]) {
        expect(s.between().map((r) => r.at.slice(8, 10))).toEqual(['01', '02', '03', '04']);
        expect(s.between('2026-11-02T00:00:00.000Z', '2026-11-04T00:00:00.000Z').map((r) => r.at.slice(8, 10))).toEqual(['02', '03']);
        expect(s.between(undefined, '2026-11-01T00:00:00.000Z')).toEqual([]);
      }
    });

    it('gives positions in commit order: each later commit higher, recordsAfter in log order, lastSeq the newest', async () => {
      const p = await place();
      let store = await open(p);
      expect(store.lastSeq).toBe(0);
      const committed: EventRecord[] = [];
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(i % 3 === 0 ? [next(), next()] : [next()])));
        const stored = results.flatMap((r) => r.stored);
        // everything committed in a later round has a higher position than anything before it
        expect(Math.min(...seqs(stored).map(Number))).toBeGreaterThan(Math.max(0, ...seqs(committed).map(Number)));
        committed.push(...stored.sort((a, b) => a.seq! - b.seq!));
      }
      expect(seqs(committed)).toEqual(committed.map((_, i) => i + 1));
      expect(store.lastSeq).toBe(committed.length);
      expect(ids(store.recordsAfter(0))).toEqual(ids(committed));
      expect(ids(store.recordsAfter(30))).toEqual(ids(committed.slice(30)));
      expect(store.recordsAfter(committed.length)).toEqual([]);
      store = await reopen(p, store);
      expect(store.lastSeq).toBe(committed.length);
      expect(ids(store.recordsAfter(25))).toEqual(ids(committed.slice(25)));
      expect(seqs((await store.append([next()])).stored)).toEqual([committed.length + 1]);
    });

    it('drops events older than the retention window and never reuses the positions it dropped', async () => {
      const p = await place();
      let store = await open(p, { retentionDays: 30 });
      const now = new Date('2026-11-21T12:00:00.000Z');
      const fresh = next({ at: '2026-11-20T00:00:00.000Z' });
      const edgeNew = next({ at: '2026-10-22T13:00:00.000Z' });
      const edgeOld = next({ at: '2026-10-22T11:00:00.000Z' });
      await store.append([fresh, edgeNew, edgeOld]);
      // a backfilled event from long ago arrives last: it holds the newest position
      const ancient = next({ at: '2025-01-01T00:00:00.000Z', item: 'ancient' });
      await store.append([ancient]);
      expect(await store.applyRetention(now)).toBe(2);
      expect(store.has(edgeOld.id) || store.has(ancient.id)).toBe(false);
      expect(store.lookup('item', 'ancient')).toEqual([]);
      expect(ids(store.between())).toEqual([edgeNew.id, fresh.id]);
      expect(store.stats().events).toBe(2);
      store = await reopen(p, store, { retentionDays: 30 });
      expect(store.stats().events).toBe(2);
      expect(ids(store.recordsAfter(0))).toEqual([fresh.id, edgeNew.id]);
      expect(seqs((await store.append([next()])).stored)).toEqual([5]);
      expect(await store.applyRetention(now)).toBe(0);
    });

    it('counts events and commits in stats: concurrent appends share a commit', async () => {
      const store = await open(await place());
      expect(store.stats()).toMatchObject({ events: 0, commits: 0 });
      await store.append([next()]);
      expect(store.stats()).toMatchObject({ events: 1, commits: 1, lastReceivedAt: expect.any(String) });
      await Promise.all(Array.from({ length: 50 }, () => store.append([next()])));
      expect(store.stats().events).toBe(51);
      expect(store.stats().commits).toBeLessThanOrEqual(3);
      expect(store.stats().bytesWritten).toBeGreaterThan(0);
    });

    it('is healthy while open; refuses appends after close, and finishes the ones pending at close', async () => {
      const store = await open(await place());
      expect(store.isOpen).toBe(true);
      expect(store.health()).toEqual({ ok: true });
      const pending = store.append([next()]);
      await store.close();
      expect((await pending).stored).toHaveLength(1);
      await expect(store.append([next()])).rejects.toMatchObject({ code: 'STORE_CLOSED', status: 503 });
      expect(store.isOpen).toBe(false);
      expect(store.health().ok).toBe(false);
      await expect(store.applyRetention()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });

    it('takes appends as soon as open() resolves; what the load reaches and what came meanwhile is there once, duplicates refused all along', async () => {
      const p = await place();
      let store = await open(p);
      const old = Array.from({ length: 3000 }, (_, i) => next({ at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z` }));
      await store.append(old);
      await store.close();
      store = p.create();
      stores.push(store);
      await store.open();
      const progress: Array<{ loaded: number; total: number }> = [];
      const first = store.loadProgress();
      if (p.loadsInBackground) expect(first).toEqual({ loaded: expect.any(Number), total: expect.any(Number) });
      if (first) progress.push(first);
      // appends before the indexes are loaded: the new ones stored, the old ones refused as duplicates
      const during = [next({ at: '2026-11-05T12:00:00.000Z' }), next({ at: '2026-11-30T00:00:00.000Z' })];
      const [r1, r2] = await Promise.all([store.append([during[0]!, old[0]!, old[2999]!]), store.append([during[1]!, old[1500]!])]);
      expect([r1.stored.length, r1.duplicates, r2.stored.length, r2.duplicates]).toEqual([1, 2, 1, 1]);
      const now = store.loadProgress();
      if (now) progress.push(now);
      await store.whenLoaded();
      expect(store.loadProgress()).toBeUndefined();
      for (const pr of progress) expect(pr.loaded).toBeLessThanOrEqual(pr.total);
      const all = store.recordsAfter(0);
      expect(all).toHaveLength(3002);
      expect(new Set(ids(all)).size).toBe(3002);
      expect(seqs(all)).toEqual(all.map((_, i) => i + 1));
      expect(store.stats().events).toBe(3002);
      expect(store.between()).toHaveLength(3002);
      expect(store.lookup('type', 'certification.campaign.item.decide')).toHaveLength(3002);
      expect(store.get(during[0]!.id)?.seq).toBe(r1.stored[0]!.seq);
      expect(store.lastSeq).toBe(3002);
    });

    it('settles whenLoaded when closed while loading, and takes nothing after', async () => {
      const p = await place();
      const store = await open(p);
      await store.append(Array.from({ length: 3000 }, () => next()));
      await store.close();
      const again = p.create();
      await again.open();
      await again.close();
      await again.whenLoaded();
      await expect(again.append([next()])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });

    it('resolves whenLoaded at once when there is nothing to load, and reports no progress after', async () => {
      const store = await open(await place());
      await store.whenLoaded();
      expect(store.loadProgress()).toBeUndefined();
    });
  });
}

/**
 * Runs the place's store in a child process, appends `records` in three calls, and kills the child with
 * SIGKILL the moment the last append resolved (no close, no flush). Resolves with how many were stored.
 */
async function appendInChildThenKill(childModule: string, records: readonly EventRecord[]): Promise<number> {
  const third = Math.ceil(records.length / 3);
  const source = `${childModule}
await store.open();
await store.whenLoaded();
const records = JSON.parse(process.env.RECORDS);
let stored = 0;
for (let i = 0; i < records.length; i += ${third}) stored += (await store.append(records.slice(i, i + ${third}))).stored.length;
process.stdout.write('ACKED ' + stored + '\\n');
setInterval(() => undefined, 1000);
`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    env: { ...process.env, RECORDS: JSON.stringify(records) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ACKED (\d+)/.exec(out);
      if (m) {
        child.kill('SIGKILL');
        child.once('exit', () => resolve(Number(m[1])));
      }
    });
    child.once('exit', (code, signal) => {
      if (!/ACKED/.test(out)) reject(new Error(`the child store exited (${code ?? signal}) before acknowledging: ${err.slice(-2000)}`));
    });
  });
}

