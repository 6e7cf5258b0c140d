import { FileStateStore } from '../../src/store/file-state-store.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.ts';
import { MessageRefs, REF_MAX_AGE_MS } from '../../src/delivery/message-refs.ts';
import type { Card } from '../../src/cards/card.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const card = (title: string, over: Partial<Card> = {}): Card => ({
  kind: 'access_request', family: 'ACCESS_REQUEST', severity: 'info', title, facts: [], eventIds: [], at: '2024-05-02T09:30:00.000Z', ...over,
});
const to = (channel: string) => () => channel;

describe('Outbox', () => {
  it('keeps cards in order per channel, durably across a reopen', async () => {
    const dir = await makeDataDir();
    const box = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    await box.add([card('a'), card('b')], to('C1'));
    await box.add([card('c')], to('C2'));
    expect(box.channels()).toEqual(['C1', 'C2']);
    expect(box.next('C1')!.card.title).toBe('a');
    const again = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    expect(again.size).toBe(3);
    expect(again.next('C1')!.card.title).toBe('a');
    // one appended line per add, not a rewrite of the whole queue
    const log = await readFile(path.join(dir, 'state', 'slack-outbox', '00000001.log.jsonl'), 'utf8');
    expect(log.trim().split('\n')).toHaveLength(2);
  });

  it('skips cards without a channel', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    expect(await box.add([card('a')], () => undefined)).toBe(0);
    expect(box.size).toBe(0);
  });

  it('coalesces a newer version of a keyed card into the waiting one, in place', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    await box.add([card('v1', { key: 'k' }), card('other')], to('C1'));
    await box.add([card('v2', { key: 'k' })], to('C1'));
    expect(box.size).toBe(2);
    expect(box.next('C1')).toMatchObject({ version: 2, card: { title: 'v2' } });
  });

  it('never replaces an item in flight; collapse folds the later versions into it before a retry', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    await box.add([card('v1', { key: 'k' })], to('C1'));
    const first = box.next('C1')!;
    box.setInFlight(first.id, true);
    await box.add([card('v2', { key: 'k' })], to('C1'));
    await box.add([card('v3', { key: 'k' })], to('C1'));
    expect(box.size).toBe(2);
    box.setInFlight(first.id, false);
    const folded = await box.collapse(first);
    expect(box.size).toBe(1);
    expect(folded.card.title).toBe('v3');
  });

  it('removes a delivered item only if no newer version came in meanwhile', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    await box.add([card('v1', { key: 'k' })], to('C1'));
    const item = box.next('C1')!;
    const version = item.version;
    await box.add([card('v2', { key: 'k' })], to('C1'));
    expect(await box.remove(item.id, version)).toBe(false);
    expect(await box.remove(item.id, version + 1)).toBe(true);
    expect(box.size).toBe(0);
  });

  it('keeps updateOnly only when both versions are edit-only', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    await box.add([card('new', { key: 'k' })], to('C1'));
    await box.add([card('edit', { key: 'k', updateOnly: true })], to('C1'));
    expect(box.next('C1')!.card.updateOnly).toBeUndefined();
  });
});

describe('MessageRefs', () => {
  it('remembers channel and ts per key across a reopen and forgets those older than 90 days', async () => {
    const dir = await makeDataDir();
    const refs = await MessageRefs.open(new FileStateStore(dir), 'slack-messages');
    const now = Date.now();
    await refs.set('decision:new', { channel: 'C1', ts: '1.1', at: now });
    await refs.set('decision:old', { channel: 'C1', ts: '1.2', at: now - REF_MAX_AGE_MS - 1 });
    const again = await MessageRefs.open(new FileStateStore(dir), 'slack-messages');
    expect(again.get('decision:new')).toEqual({ channel: 'C1', ts: '1.1', at: now });
    expect(await again.prune(now)).toBe(1);
    expect(again.get('decision:old')).toBeUndefined();
    expect(again.get('__proto__')).toBeUndefined();
  });
});

describe('Outbox.next', () => {
  it('lets edit-only items yield to everything else of the channel', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'slack-outbox');
    await box.add([card('edit 1', { key: 'a', updateOnly: true }), card('edit 2', { key: 'b', updateOnly: true }), card('digest', { key: 'd' })], to('C1'));
    expect(box.next('C1')!.card.title).toBe('digest');
    const digest = box.next('C1')!;
    await box.remove(digest.id, digest.version);
    expect(box.next('C1')!.card.title).toBe('edit 1');
  });
});

describe('Outbox with several channels per card', () => {
  const toAll = (...channels: string[]) => () => channels;

  it('queues one item per channel the placer names, and counts each', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'teams-outbox');
    expect(await box.add([card('a'), card('b')], toAll('19:general', '19:secops', 'a:personal'))).toBe(6);
    expect(box.size).toBe(6);
    expect(box.channels()).toEqual(['19:general', '19:secops', 'a:personal']);
    for (const channel of box.channels()) {
      expect(box.countFor(channel)).toBe(2);
      expect(box.next(channel)).toMatchObject({ channel, version: 1, card: { title: 'a' } });
    }
  });

  it('asks the placer for each card: the count is the number of channel items queued', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'teams-outbox');
    const place = (c: Card) => (c.family === 'MANUAL' ? ['19:general', '19:tasks'] : c.family === 'SYSTEM' ? [] : '19:general');
    const cards = [card('request'), card('task', { family: 'MANUAL' }), card('alert', { family: 'SYSTEM' })];
    expect(await box.add(cards, place)).toBe(3);
    expect(box.countFor('19:general')).toBe(2);
    expect(box.countFor('19:tasks')).toBe(1);
    expect(box.next('19:tasks')!.card.title).toBe('task');
  });

  it('coalesces a second version of a keyed card in each channel: version 2, no new items', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'teams-outbox');
    await box.add([card('v1', { key: 'digest:1' })], toAll('19:general', '19:secops'));
    const before = ['19:general', '19:secops'].map((c) => box.next(c)!.id);
    expect(await box.add([card('v2', { key: 'digest:1' })], toAll('19:general', '19:secops'))).toBe(2);
    expect(box.size).toBe(2);
    expect(['19:general', '19:secops'].map((c) => box.next(c)!.id)).toEqual(before);
    for (const channel of ['19:general', '19:secops']) expect(box.next(channel)).toMatchObject({ version: 2, card: { title: 'v2', key: 'digest:1' } });
  });

  it('coalesces only into the same channel: a channel new to the key gets its own item', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'teams-outbox');
    await box.add([card('v1', { key: 'k' })], toAll('19:general'));
    expect(await box.add([card('v2', { key: 'k' })], toAll('19:general', '19:secops'))).toBe(2);
    expect(box.size).toBe(2);
    expect(box.next('19:general')).toMatchObject({ version: 2, card: { title: 'v2' } });
    expect(box.next('19:secops')).toMatchObject({ version: 1, card: { title: 'v2' } });
  });

  it('queues nothing when the placer names no channel', async () => {
    const box = await Outbox.open(new FileStateStore(await makeDataDir()), 'teams-outbox');
    expect(await box.add([card('a'), card('b')], () => [])).toBe(0);
    expect(await box.add([card('a')], () => undefined)).toBe(0);
    expect(box.size).toBe(0);
    expect(box.channels()).toEqual([]);
  });
});
