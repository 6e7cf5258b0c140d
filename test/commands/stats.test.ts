import { describe, expect, it } from 'vitest';
import { oldestOf, stats } from '../../src/commands/stats.ts';
import { fixtureStore, NOW } from './fixture-store.ts';

describe('/oig stats', () => {
  it('says when the oldest waiting card was queued and how long ago', async () => {
    const { store, close } = await fixtureStore();
    const queued = new Date(NOW.getTime() - 3 * 3_600_000).toISOString();
    const answer = stats({ store, stats: { delivery: () => ({ outbox: 40, oldestQueuedAt: queued, errors: ['not_in_channel in C0X'] }) }, now: () => NOW });
    expect(answer.summary).toContain('Outbox: 40 waiting, 1 delivery problem(s), oldest queued 2026-11-21 09:00 UTC (3h ago)');
    expect(answer.rows.find((r) => r.cells[1] === 'outbox')!.cells[2]).toBe('40 waiting, oldest queued 2026-11-21 09:00 UTC (3h ago)');
    const empty = stats({ store, stats: { delivery: () => ({ outbox: 0, errors: [] }) }, now: () => NOW });
    expect(empty.summary).toContain('Outbox: 0 waiting, 0 delivery problem(s)');
    await close();
  });

  it('puts a store that cannot write and events not yet routed first, as a notice', async () => {
    const { store, close } = await fixtureStore();
    const healthy = stats({ store, stats: { unrouted: () => 0 }, now: () => NOW });
    expect(healthy.notice).toBeUndefined();
    const behind = stats({ store, stats: { unrouted: () => 1200 }, now: () => NOW });
    expect(behind.notice).toBe('Routing: 1200 stored event(s) not yet turned into cards and tasks');
    await close();
    // a closed store is one that cannot write
    const closed = stats({ store, now: () => NOW });
    expect(closed.notice).toBe('Store: the event store is not open');
    expect(closed.rows.find((r) => r.cells[0] === 'health')?.line).toBe('store: the event store is not open');
  });

  it('says how many watched revokes no ASA user name can match, and what to set', async () => {
    const { store, close } = await fixtureStore();
    const totals = { watched: 5, noAsaName: 2, revokesUsed: 1, uses: 3, strong: 1, history: 0 };
    const answer = stats({ store, stillUsed: { forPerson: () => [], totals: () => totals }, now: () => NOW });
    expect(answer.summary).toContain('Revoked but still used: 1 revoke(s), 3 use(s) after the revoke (1 strong); 2 watched revoke(s) name no Okta login, so ASA users are not matched to them by name: set ASA_USER_MAP (okta-id=asa-name)');
    expect(answer.rows.find((r) => r.cells[1] === 'revokes no ASA name can match')!.cells[2]).toBe('2 (no Okta login known and no ASA_USER_MAP entry)');
    const allNamed = stats({ store, stillUsed: { forPerson: () => [], totals: () => ({ ...totals, noAsaName: 0 }) }, now: () => NOW });
    expect(allNamed.summary).toContain('Revoked but still used: 1 revoke(s), 3 use(s) after the revoke (1 strong)');
    await close();
  });

  it('takes the earliest queue time of several chats', () => {
    expect(oldestOf([undefined, '2026-11-21T10:00:00.000Z', '2026-11-21T09:00:00.000Z'])).toEqual({ oldestQueuedAt: '2026-11-21T09:00:00.000Z' });
    expect(oldestOf([undefined])).toEqual({});
  });
});
