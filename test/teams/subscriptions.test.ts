import { FileStateStore } from '../../src/store/file-state-store.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Subscriptions, channelOf } from '../../adapters/teams/subscriptions.ts';
import { ROUTE_FAMILIES as FAMILIES } from '../../src/cards/card.ts';
import type { ConversationRef } from '../../adapters/teams/teams-types.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const TEAM_A = '19:teamA@thread.tacv2';
const TEAM_B = '19:teamB@thread.tacv2';
const GENERAL_A = '19:generalA@thread.tacv2';
const SECOPS_A = '19:secopsA@thread.tacv2';
const GENERAL_B = '19:generalB@thread.tacv2';
const AT = new Date('2024-05-02T09:30:00.000Z');

const ref = (conversationId: string): ConversationRef => ({
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
  bot: { id: '28:app-id', name: 'OIG' },
});

describe('channelOf', () => {
  it.each([
    ['19:x@thread.tacv2;messageid=123', '19:x@thread.tacv2'],
    ['19:x@thread.tacv2', '19:x@thread.tacv2'],
    ['a:1personal-chat', 'a:1personal-chat'],
    ['', ''],
  ])('%j -> %j', (id, channel) => {
    expect(channelOf(id)).toBe(channel);
  });
});

describe('Subscriptions', () => {
  it('stores a thread conversation under its channel id, with the rest of the reference unchanged', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    const sub = await subs.subscribe(ref('19:x@thread.tacv2;messageid=123'), ['MANUAL'], 'Alice Admin', TEAM_A, AT);
    expect(sub).toEqual({
      ref: ref('19:x@thread.tacv2'),
      families: ['MANUAL'],
      teamId: TEAM_A,
      by: 'Alice Admin',
      at: '2024-05-02T09:30:00.000Z',
    });
    expect(subs.list()).toEqual([sub]);
    expect(subs.get('19:x@thread.tacv2')).toEqual(sub);
    expect(subs.get('19:x@thread.tacv2;messageid=999')).toEqual(sub);
    expect(subs.get('19:other@thread.tacv2')).toBeUndefined();
  });

  it('subscribes to all six families when none are named, and leaves teamId out without a team', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    const sub = await subs.subscribe(ref('a:personal'), [], 'Bob Builder', undefined, AT);
    expect(sub.families).toEqual(['CERTIFICATION', 'ACCESS_REQUEST', 'ACCESS_REVIEW', 'SYSTEM', 'ASA', 'MANUAL']);
    expect(sub.families).toEqual([...FAMILIES]);
    expect(sub).not.toHaveProperty('teamId');
    for (const family of FAMILIES) expect(subs.forFamily(family)).toEqual(['a:personal']);
  });

  it('removes duplicate families', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    const sub = await subs.subscribe(ref(GENERAL_A), ['ASA', 'MANUAL', 'ASA'], 'Alice Admin', TEAM_A, AT);
    expect(sub.families).toEqual(['ASA', 'MANUAL']);
  });

  it('replaces the families when a channel subscribes again', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    await subs.subscribe(ref(GENERAL_A), [], 'added to the team', TEAM_A, AT);
    const later = new Date('2024-05-03T10:00:00.000Z');
    await subs.subscribe(ref(`${GENERAL_A};messageid=42`), ['CERTIFICATION', 'MANUAL'], 'Alice Admin', TEAM_A, later);
    expect(subs.list()).toHaveLength(1);
    expect(subs.get(GENERAL_A)).toMatchObject({ families: ['CERTIFICATION', 'MANUAL'], by: 'Alice Admin', at: '2024-05-03T10:00:00.000Z' });
    expect(subs.forFamily('SYSTEM')).toEqual([]);
    expect(subs.forFamily('MANUAL')).toEqual([GENERAL_A]);
  });

  it('lists the channel ids subscribed to a family', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    await subs.subscribe(ref(GENERAL_A), [], 'added to the team', TEAM_A, AT);
    await subs.subscribe(ref(`${SECOPS_A};messageid=7`), ['SYSTEM', 'ASA'], 'Alice Admin', TEAM_A, AT);
    await subs.subscribe(ref(GENERAL_B), ['CERTIFICATION'], 'Bob Builder', TEAM_B, AT);
    expect(subs.forFamily('SYSTEM')).toEqual([GENERAL_A, SECOPS_A]);
    expect(subs.forFamily('CERTIFICATION')).toEqual([GENERAL_A, GENERAL_B]);
    expect(subs.forFamily('ACCESS_REVIEW')).toEqual([GENERAL_A]);
  });

  it('unsubscribes a channel (also from a thread in it) and says whether it was subscribed', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    await subs.subscribe(ref(GENERAL_A), [], 'added to the team', TEAM_A, AT);
    await subs.subscribe(ref(SECOPS_A), ['ASA'], 'Alice Admin', TEAM_A, AT);
    expect(await subs.unsubscribe(`${GENERAL_A};messageid=5`)).toBe(true);
    expect(subs.get(GENERAL_A)).toBeUndefined();
    expect(await subs.unsubscribe(GENERAL_A)).toBe(false);
    expect(await subs.unsubscribe('19:never@thread.tacv2')).toBe(false);
    expect(subs.list().map((s) => s.ref.conversation.id)).toEqual([SECOPS_A]);
  });

  it('removes only the channels of the team the bot left', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    await subs.subscribe(ref(GENERAL_A), [], 'added to the team', TEAM_A, AT);
    await subs.subscribe(ref(SECOPS_A), ['ASA'], 'Alice Admin', TEAM_A, AT);
    await subs.subscribe(ref(GENERAL_B), [], 'added to the team', TEAM_B, AT);
    await subs.subscribe(ref('a:personal'), ['MANUAL'], 'Bob Builder', undefined, AT);
    expect(await subs.removeTeam(TEAM_A)).toBe(2);
    expect(subs.list().map((s) => s.ref.conversation.id)).toEqual([GENERAL_B, 'a:personal']);
    expect(await subs.removeTeam(TEAM_A)).toBe(0);
    expect(await subs.removeTeam('19:unknown@thread.tacv2')).toBe(0);
    expect(subs.list()).toHaveLength(2);
  });

  it('survives a reopen: state/teams-subscriptions.json holds every change', async () => {
    const dir = await makeDataDir();
    const subs = await Subscriptions.open(new FileStateStore(dir));
    await subs.subscribe(ref(`${GENERAL_A};messageid=1`), ['CERTIFICATION'], 'Alice Admin', TEAM_A, AT);
    await subs.subscribe(ref(GENERAL_B), [], 'added to the team', TEAM_B, AT);
    await subs.subscribe(ref(SECOPS_A), ['ASA'], 'Alice Admin', TEAM_A, AT);
    await subs.unsubscribe(SECOPS_A);

    const file = JSON.parse(await readFile(path.join(dir, 'state', 'teams-subscriptions.json'), 'utf8')) as { subscriptions: Record<string, unknown> };
    expect(Object.keys(file.subscriptions)).toEqual([GENERAL_A, GENERAL_B]);

    const again = await Subscriptions.open(new FileStateStore(dir));
    expect(again.list()).toEqual(subs.list());
    expect(again.get(`${GENERAL_A};messageid=99`)).toMatchObject({ families: ['CERTIFICATION'], teamId: TEAM_A, ref: { conversation: { id: GENERAL_A } } });
    expect(again.forFamily('ASA')).toEqual([GENERAL_B]);
    expect(await again.removeTeam(TEAM_B)).toBe(1);
    expect((await Subscriptions.open(new FileStateStore(dir))).list().map((s) => s.ref.conversation.id)).toEqual([GENERAL_A]);
  });

  it('starts empty in a new data folder and does not find inherited object keys', async () => {
    const subs = await Subscriptions.open(new FileStateStore(await makeDataDir()));
    expect(subs.list()).toEqual([]);
    expect(subs.get('toString')).toBeUndefined();
    expect(subs.get('__proto__')).toBeUndefined();
    expect(await subs.unsubscribe('constructor')).toBe(false);
  });
});
