/**
 * What every StateStore keeps (src/store/state-store.ts), as one suite run against each kind:
 * file-state-store.test.ts (DATA_DIR/state) and pg-state-store.test.ts (PostgreSQL). A store is tested
 * through its interface over a "place" (a data folder, a database) that several store instances open in
 * turn, so durability is checked by reopening. The journals are exercised through their real users, the
 * outbox and the message references.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { MessageRefs } from '../../src/delivery/message-refs.ts';
import { Outbox } from '../../src/delivery/outbox.ts';
import type { StateStore } from '../../src/store/state-store.ts';

/** where a store keeps its state; each `open()` is a new store instance over the same state */
export interface StatePlace {
  open(): StateStore;
  remove(): Promise<void>;
}

const card = (title: string, key?: string): Card => ({
  kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title, facts: [{ label: 'Reviewer', value: 'Ada Lovelace' }], eventIds: [`evt-${title}`], at: '2024-05-02T09:30:00.000Z', ...(key ? { key } : {}),
});
const to = (channel: string) => () => channel;
const ref = (i: number) => ({ channel: 'C1', ts: `1700000000.${String(i).padStart(6, '0')}`, at: Date.now() });

interface Queued {
  id: number;
  title: string;
  version: number;
  plain?: boolean;
}

/** takes every item of a channel as the delivery loop would, in order (it removes them) */
async function drain(box: Outbox, channel: string): Promise<Queued[]> {
  const out: Queued[] = [];
  for (let item = box.next(channel); item; item = box.next(channel)) {
    out.push({ id: item.id, title: item.card.title, version: item.version, ...(item.plain ? { plain: true } : {}) });
    await box.remove(item.id, item.version, true);
  }
  return out;
}

interface Tasks {
  tasks: Record<string, { state: string }>;
  runs: number[];
}

export function stateStoreContract(name: string, makePlace: () => Promise<StatePlace>): void {
  describe(`StateStore contract: ${name}`, () => {
    const places: StatePlace[] = [];
    const stores: StateStore[] = [];
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close().catch(() => undefined);
      for (const p of places.splice(0)) await p.remove();
    });
    async function place(): Promise<StatePlace> {
      const p = await makePlace();
      places.push(p);
      return p;
    }
    function open(p: StatePlace): StateStore {
      const s = p.open();
      stores.push(s);
      return s;
    }

    it('a new document holds its defaults, and changing it leaves the defaults object alone', async () => {
      const defaults: Tasks = { tasks: {}, runs: [] };
      const doc = await open(await place()).doc<Tasks>('manual-tasks', defaults).open();
      expect(doc.data).toEqual({ tasks: {}, runs: [] });
      await doc.update((d) => void d.runs.push(1));
      expect(doc.data.runs).toEqual([1]);
      expect(defaults).toEqual({ tasks: {}, runs: [] });
    });

    it('keeps every change of a document across close and reopen, in the order the changes were made, keys in insertion order', async () => {
      const p = await place();
      const first = open(p);
      const doc = await first.doc<Tasks>('manual-tasks', { tasks: {}, runs: [] }).open();
      await Promise.all(Array.from({ length: 40 }, (_, i) => doc.update((d) => void d.runs.push(i))));
      // Object.values lists tasks in the order they were opened: a long key first must stay first
      await doc.update((d) => {
        d.tasks['task-zzzzzzzzzzzz'] = { state: 'open' };
        d.tasks.b = { state: 'claimed' };
        d.tasks['task-a'] = { state: 'done' };
      });
      expect(doc.data.runs).toEqual(Array.from({ length: 40 }, (_, i) => i));
      await first.close();
      const again = await open(p).doc<Tasks>('manual-tasks', { tasks: {}, runs: [] }).open();
      expect(again.data.runs).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(Object.keys(again.data.tasks)).toEqual(['task-zzzzzzzzzzzz', 'b', 'task-a']);
      // another document of the same store is its own
      const other = await open(p).doc<Tasks>('routing', { tasks: {}, runs: [7] }).open();
      expect(other.data).toEqual({ tasks: {}, runs: [7] });
    });

    it('a change that throws rejects and changes nothing, in memory or stored; the next change works', async () => {
      const p = await place();
      const doc = await open(p).doc<Tasks>('asa-checkpoint', { tasks: {}, runs: [] }).open();
      await doc.update((d) => void d.runs.push(1));
      const boom = new Error('the change failed half-way');
      await expect(
        doc.update((d) => {
          d.runs.push(2);
          d.tasks.x = { state: 'open' };
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(doc.data).toEqual({ tasks: {}, runs: [1] });
      await doc.update((d) => void d.runs.push(3));
      expect(doc.data.runs).toEqual([1, 3]);
      const again = await open(p).doc<Tasks>('asa-checkpoint', { tasks: {}, runs: [] }).open();
      expect(again.data).toEqual({ tasks: {}, runs: [1, 3] });
    });

    it('an outbox and message references committed, then reopened, are the same', async () => {
      const p = await place();
      const first = open(p);
      const box = await Outbox.open(first, 'slack-outbox');
      const refs = await MessageRefs.open(first, 'slack-messages');
      await box.add([card('a', 'k:a'), card('b', 'k:b'), card('c')], to('C1'), 17);
      // k:b waits in C1: b2 coalesces into it (same id, version 2)
      await box.add([card('b2', 'k:b'), card('d')], to('C2'));
      await box.add([card('b3', 'k:b')], to('C1'));
      const a = box.next('C1')!;
      expect(await box.remove(a.id, a.version)).toBe(true);
      await box.markPlain(box.next('C1')!.id);
      const r1 = ref(1);
      await refs.set('k:a', r1);
      await refs.set('k:b', ref(2));
      await refs.delete('k:b');
      await box.close();
      await refs.close();
      await first.close();

      const second = open(p);
      const box2 = await Outbox.open(second, 'slack-outbox');
      const refs2 = await MessageRefs.open(second, 'slack-messages');
      expect([box2.size, box2.routedThrough]).toEqual([4, 17]);
      expect(await drain(box2, 'C1')).toEqual([
        { id: 2, title: 'b3', version: 2, plain: true },
        { id: 3, title: 'c', version: 1 },
      ]);
      expect(await drain(box2, 'C2')).toEqual([
        { id: 4, title: 'b2', version: 1 },
        { id: 5, title: 'd', version: 1 },
      ]);
      expect(refs2.get('k:a')).toEqual(r1);
      expect(refs2.get('k:b')).toBeUndefined();
      expect(refs2.size).toBe(1);
      await box2.close();
      await refs2.close();
    });

    it('keeps the state through compaction (a tiny floor compacts every few commits)', async () => {
      const p = await place();
      const first = open(p);
      const box = await Outbox.open(first, 'teams-outbox', { floorBytes: 512 });
      for (let i = 0; i < 60; i++) await box.add([card(`c${i}`, `k:${i}`)], to(`C${i % 3}`), i);
      // the first 7, 7 and 6 of the channels go
      for (let i = 0; i < 20; i++) {
        const item = box.next(`C${i % 3}`)!;
        await box.remove(item.id, item.version);
      }
      await box.close();
      await first.close();
      const box2 = await Outbox.open(open(p), 'teams-outbox', { floorBytes: 512 });
      expect([box2.size, box2.routedThrough]).toEqual([40, 59]);
      const expected = (c: number, gone: number) =>
        Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 3 === c).slice(gone).map((i) => ({ id: i + 1, title: `c${i}`, version: 1 }));
      expect(await drain(box2, 'C0')).toEqual(expected(0, 7));
      expect(await drain(box2, 'C1')).toEqual(expected(1, 7));
      expect(await drain(box2, 'C2')).toEqual(expected(2, 6));
      // ids keep growing after a reopen (nextId is in the snapshot)
      await box2.add([card('after')], to('C9'));
      expect(box2.next('C9')!.id).toBe(61);
      await box2.close();
    });

    it('many concurrent commits all land, in the order they were made', async () => {
      const p = await place();
      const first = open(p);
      const box = await Outbox.open(first, 'slack-outbox');
      const refs = await MessageRefs.open(first, 'slack-messages');
      const n = 500;
      const counts = await Promise.all(Array.from({ length: n }, (_, i) => box.add([card(`t${i}`)], to('C1'))));
      await Promise.all(Array.from({ length: n }, (_, i) => refs.set(`k:${i}`, ref(i))));
      expect(counts.every((c) => c === 1)).toBe(true);
      // ids are given in commit order: the i-th add holds id i + 1
      const ids: Array<[number, string]> = [];
      for (let item = box.next('C1'); item; item = box.next('C1')) {
        ids.push([item.id, item.card.title]);
        await box.remove(item.id, item.version);
        if (ids.length === 5) break;
      }
      expect(ids).toEqual([1, 2, 3, 4, 5].map((id) => [id, `t${id - 1}`]));
      await box.close();
      await first.close();
      const second = open(p);
      const box2 = await Outbox.open(second, 'slack-outbox');
      const refs2 = await MessageRefs.open(second, 'slack-messages');
      expect(box2.size).toBe(n - 5);
      expect(box2.next('C1')!.card.title).toBe('t5');
      expect(refs2.size).toBe(n);
      expect(refs2.get(`k:${n - 1}`)?.ts).toBe(ref(n - 1).ts);
      await box2.close();
    });
  });
}
