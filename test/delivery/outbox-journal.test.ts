import { FileStateStore } from '../../src/store/file-state-store.ts';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { MessageRefs } from '../../src/delivery/message-refs.ts';
import { Outbox, type OutboxItem, type Placer } from '../../src/delivery/outbox.ts';
import { openAppendOnly, type LogHandle } from '../../src/store/journal-files.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const card = (title: string, over: Partial<Card> = {}): Card => ({
  kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title, facts: [{ label: 'Reviewer', value: 'Ada Lovelace' }], eventIds: [`evt-${title}`], at: '2024-05-02T09:30:00.000Z', ...over,
});
const to = (channel: string) => () => channel;
const logLines = async (dir: string, name: string) => {
  const folder = path.join(dir, 'state', name);
  const log = (await readdir(folder)).find((f) => f.endsWith('.log.jsonl'))!;
  return (await readFile(path.join(folder, log), 'utf8')).split('\n').filter(Boolean);
};

describe('Outbox on its journal', () => {
  it('writes about as many bytes for the 10,000th card as for the 100th (and far under 4 KiB)', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    const title = (i: number) => `REVOKE ${String(i).padStart(6, '0')}`;
    const cost = async (write: () => Promise<unknown>) => {
      const before = box.bytesWritten;
      await write();
      return box.bytesWritten - before;
    };
    await box.add(Array.from({ length: 99 }, (_, i) => card(title(i), { key: `decision:${i}` })), to('C1'));
    const add100 = await cost(() => box.add([card(title(99), { key: 'decision:99' })], to('C1')));
    for (let from = 100; from < 9_999; from += 100) {
      await box.add(Array.from({ length: Math.min(100, 9_999 - from) }, (_, k) => card(title(from + k), { key: `decision:${from + k}` })), to('C1'));
    }
    const add10k = await cost(() => box.add([card(title(9_999), { key: 'decision:9999' })], to('C1')));
    expect(box.size).toBe(10_000);
    expect(add10k).toBeLessThanOrEqual(2 * add100);
    expect(add10k).toBeLessThan(4096);
    // forgetting a delivered card costs a few bytes too, however long the queue
    const first = box.next('C1')!;
    expect(await cost(() => box.remove(first.id, first.version))).toBeLessThan(64);
    await box.close();
  });

  it('records routedThrough in the same append as the cards, keeps the highest, and reads it back after a reopen', async () => {
    const dir = await makeDataDir();
    const box = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(box.routedThrough).toBe(0);
    await box.add([card('a')], to('C1'), 42);
    const lines = await logLines(dir, 'slack-outbox');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ add: [{ card: { title: 'a' } }], routedThrough: 42 });
    await box.add([card('b')], to('C1'), 7);
    expect(box.routedThrough).toBe(42);
    // a batch whose cards go nowhere is routed all the same
    expect(await box.add([card('c')], () => undefined, 50)).toBe(0);
    expect(box.routedThrough).toBe(50);
    await box.close();
    const again = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(again.routedThrough).toBe(50);
    expect(again.size).toBe(2);
    await again.close();
  });

  it('rejects an add whose write fails and changes nothing; the next add works', async () => {
    const dir = await makeDataDir();
    let full = false;
    const openLog = async (file: string): Promise<LogHandle> => {
      const real = await openAppendOnly(file);
      return { ...real, append: (data) => (full ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) : real.append(data)) };
    };
    const box = await Outbox.open(new FileStateStore(dir), 'slack-outbox', { openLog });
    await box.add([card('v1', { key: 'k' })], to('C1'), 1);
    full = true;
    await expect(box.add([card('v2', { key: 'k' }), card('other')], to('C1'), 2)).rejects.toThrow('ENOSPC');
    expect(box.size).toBe(1);
    expect(box.next('C1')).toMatchObject({ version: 1, card: { title: 'v1' } });
    expect(box.routedThrough).toBe(1);
    full = false;
    expect(await box.add([card('v2', { key: 'k' }), card('other')], to('C1'), 2)).toBe(2);
    expect(box.next('C1')).toMatchObject({ version: 2, card: { title: 'v2' } });
    await box.close();
    const again = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(again.size).toBe(2);
    expect(again.routedThrough).toBe(2);
    await again.close();
  });

  it('says how long each channel has waited, and keeps that across a reopen', async () => {
    const dir = await makeDataDir();
    const box = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(box.oldestQueuedAt()).toBeUndefined();
    await box.add([card('a')], to('C1'));
    await new Promise((r) => setTimeout(r, 5));
    await box.add([card('b')], to('C2'));
    await box.add([card('c')], to('C1'));
    const [a, b] = [box.next('C1')!, box.next('C2')!];
    expect(box.oldestQueuedAt()).toBe(a.queuedAt);
    expect(box.oldestQueuedAt('C2')).toBe(b.queuedAt);
    expect(box.oldestQueuedAt('C3')).toBeUndefined();
    await box.remove(a.id, a.version);
    expect(box.oldestQueuedAt('C1')! >= a.queuedAt).toBe(true);
    expect(box.oldestQueuedAt()).toBe(b.queuedAt);
    await box.close();
    const again = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(again.oldestQueuedAt()).toBe(b.queuedAt);
    await again.close();
  });

  it('compacts while cards go through, and a reopen finds the same queue', async () => {
    const dir = await makeDataDir();
    const box = await Outbox.open(new FileStateStore(dir), 'teams-outbox', { floorBytes: 4096 });
    for (let i = 0; i < 300; i++) {
      await box.add([card(`c${i}`, { key: `k${i % 7}` })], () => ['19:a', '19:b']);
      const item = box.next(i % 2 ? '19:a' : '19:b')!;
      await box.remove(item.id, item.version);
    }
    const files = await readdir(path.join(dir, 'state', 'teams-outbox'));
    expect(files.find((f) => f.endsWith('.snapshot.json'))).not.toBe('00000001.snapshot.json');
    expect(files).toHaveLength(2);
    const snapshot = (ch: string, b: Outbox) => ({ count: b.countFor(ch), next: b.next(ch) });
    const before = [snapshot('19:a', box), snapshot('19:b', box), box.size];
    await box.close();
    const again = await Outbox.open(new FileStateStore(dir), 'teams-outbox');
    expect([snapshot('19:a', again), snapshot('19:b', again), again.size]).toEqual(before);
    await again.close();
  });
});

describe('an outbox and message references from before the journal', () => {
  it('are imported at open, once, and the old files removed', async () => {
    const dir = await makeDataDir();
    await mkdir(path.join(dir, 'state'));
    const items: OutboxItem[] = [
      { id: 3, channel: 'C1', card: card('status', { key: 'd:1', updateOnly: true }), version: 1, queuedAt: '2024-05-02T09:00:00.000Z' },
      { id: 4, channel: 'C1', card: card('digest', { key: 'digest:1' }), version: 3, queuedAt: '2024-05-02T09:01:00.000Z', plain: true },
      { id: 5, channel: 'C2', card: card('task'), version: 1, queuedAt: '2024-05-02T09:02:00.000Z' },
    ];
    await writeFile(path.join(dir, 'state', 'slack-outbox.json'), JSON.stringify({ nextId: 6, items }));
    await writeFile(path.join(dir, 'state', 'slack-messages.json'), JSON.stringify({ refs: { 'd:1': { channel: 'C1', ts: '1.1', at: 1 } } }));
    const [box, refs] = [await Outbox.open(new FileStateStore(dir), 'slack-outbox'), await MessageRefs.open(new FileStateStore(dir), 'slack-messages')];
    expect(box.size).toBe(3);
    expect(box.next('C1')).toEqual(items[1]);
    expect(box.pendingWithKey('d:1')).toEqual(items[0]);
    expect(box.oldestQueuedAt()).toBe('2024-05-02T09:00:00.000Z');
    expect(refs.get('d:1')).toEqual({ channel: 'C1', ts: '1.1', at: 1 });
    await expect(stat(path.join(dir, 'state', 'slack-outbox.json'))).rejects.toThrow('ENOENT');
    await expect(stat(path.join(dir, 'state', 'slack-messages.json'))).rejects.toThrow('ENOENT');
    await box.add([card('new')], to('C2'));
    expect(box.countFor('C2')).toBe(2);
    await box.close();
    await refs.close();
    const again = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(again.size).toBe(4);
    // ids go on from the old file's
    expect(Math.max(...['C1', 'C2'].map((c) => again.next(c)!.id))).toBeLessThan(6);
    await again.close();
  });
});

/**
 * The outbox as it was before the journal: arrays, scans, the same rules. The journaled outbox, with its
 * indexes, must answer exactly as this does for any sequence of changes.
 */
class ReferenceOutbox {
  items: OutboxItem[] = [];
  nextId = 1;
  inFlight = new Set<number>();
  add(cards: readonly Card[], place: Placer, queuedAt: string): number {
    let count = 0;
    for (const c of cards) {
      const placed = place(c, (key) => this.items.find((i) => i.card.key === key));
      for (const channel of placed === undefined ? [] : typeof placed === 'string' ? [placed] : placed) {
        count += 1;
        const same = c.key !== undefined ? this.items.findLast((i) => i.card.key === c.key && i.channel === channel && !this.inFlight.has(i.id)) : undefined;
        if (same) {
          same.card = merge(same.card, c);
          same.version += 1;
          delete same.plain;
        } else this.items.push({ id: this.nextId++, channel, card: c, version: 1, queuedAt });
      }
    }
    return count;
  }
  next(channel: string) {
    return this.items.find((i) => i.channel === channel && !i.card.updateOnly) ?? this.items.find((i) => i.channel === channel);
  }
  remove(id: number, version: number, force: boolean): boolean {
    const at = this.items.findIndex((i) => i.id === id);
    if (at < 0 || (!force && this.items[at]!.version !== version)) return false;
    this.items.splice(at, 1);
    return true;
  }
  collapse(item: OutboxItem): void {
    const later = this.items.filter((i) => i.id !== item.id && i.card.key === item.card.key && item.card.key !== undefined && i.channel === item.channel && !this.inFlight.has(i.id));
    const head = this.items.find((i) => i.id === item.id);
    if (later.length === 0 || !head) return;
    for (const l of later) head.card = merge(head.card, l.card);
    head.version += 1;
    delete head.plain;
    this.items = this.items.filter((i) => !later.includes(i));
  }
}

function merge(older: Card, newer: Card): Card {
  const c = { ...newer };
  if (!(older.updateOnly && newer.updateOnly)) delete c.updateOnly;
  return c;
}

describe('Outbox indexes', () => {
  it('answer as the old whole-array outbox did, through a long random sequence and a reopen', async () => {
    const dir = await makeDataDir();
    const box = await Outbox.open(new FileStateStore(dir), 'teams-outbox', { floorBytes: 8192 });
    const ref = new ReferenceOutbox();
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0), (seed >>> 16) % n);
    const channels = ['A', 'B', 'C'];
    let longest = 0;
    const compare = (b: Outbox) => {
      expect(b.size).toBe(ref.items.length);
      for (const ch of channels) {
        expect(b.countFor(ch)).toBe(ref.items.filter((i) => i.channel === ch).length);
        const [got, want] = [b.next(ch), ref.next(ch)];
        expect(got && { id: got.id, version: got.version, card: got.card, plain: got.plain }).toEqual(want && { id: want.id, version: want.version, card: want.card, plain: want.plain });
      }
      for (let k = 0; k < 6; k++) expect(b.pendingWithKey(`k${k}`)?.id).toBe(ref.items.find((i) => i.card.key === `k${k}`)?.id);
    };
    for (let step = 0; step < 1500; step++) {
      const roll = rnd(10);
      if (roll < 5) {
        const cards = Array.from({ length: 1 + rnd(3) }, () => card(`t${step}`, { ...(rnd(5) ? { key: `k${rnd(6)}` } : {}), ...(rnd(3) === 0 ? { updateOnly: true } : {}) }));
        // a placer like Slack's: where the key is queued already, else a channel, sometimes two or none;
        // its choices are drawn once per card so both outboxes are asked the same
        const choice = new Map(cards.map((c) => [c, { follow: rnd(2) === 0, to: rnd(8) === 0 ? undefined : rnd(4) === 0 ? ['A', 'B'] : channels[rnd(3)]! }] as const));
        const place: Placer = (c, queued) => {
          const { follow, to: where } = choice.get(c)!;
          const there = c.key !== undefined && follow ? queued(c.key)?.channel : undefined;
          return there ?? where;
        };
        const counted = await box.add(cards, place);
        expect(ref.add(cards, place, new Date().toISOString())).toBe(counted);
      } else {
        const ch = channels[rnd(3)]!;
        const item = box.next(ch);
        if (!item) continue;
        if (roll < 7) {
          const force = rnd(4) === 0;
          const version = item.version - rnd(2);
          expect(await box.remove(item.id, version, force)).toBe(ref.remove(item.id, version, force));
        } else if (roll < 8) {
          // sent and failed while newer versions came in
          box.setInFlight(item.id, true);
          ref.inFlight.add(item.id);
          const c = card(`f${step}`, item.card.key ? { key: item.card.key } : {});
          const at = new Date().toISOString();
          expect(await box.add([c], to(ch))).toBe(ref.add([c], to(ch), at));
          box.setInFlight(item.id, false);
          ref.inFlight.delete(item.id);
        } else if (roll < 9) {
          await box.collapse(item);
          ref.collapse(ref.items.find((i) => i.id === item.id)!);
        } else {
          await box.markPlain(item.id);
          ref.items.find((i) => i.id === item.id)!.plain = true;
        }
      }
      compare(box);
      longest = Math.max(longest, box.size);
    }
    // the sequence did queue up (keyless cards pile up; keyed ones coalesce)
    expect(longest).toBeGreaterThan(10);
    await box.close();
    const again = await Outbox.open(new FileStateStore(dir), 'teams-outbox');
    compare(again);
    await again.close();
  });
});
