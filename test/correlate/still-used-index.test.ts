/**
 * The "revoked but still used" index against a real store (LowdbEventStore in a temporary DATA_DIR): records
 * are appended in the order the log would have them, then routed through the index as routing does.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { loadConfig } from '../../src/config/config.ts';
import { StillUsedIndex } from '../../src/correlate/still-used-index.ts';
import type { AsaRecord, EventRecord } from '../../src/domain/records.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { accessRequest, alice, asa, bob, decision, financeGroup, salesforce, skipped } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
const stores: LowdbEventStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const REVOKED_AT = '2026-11-20T10:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(REVOKED_AT) + minutes * 60_000).toISOString();

const revokeAlice = (over: Parameters<typeof decision>[0] = {}) => decision({ id: 'd-alice', item: 'I-alice', at: REVOKED_AT, principal: alice, resource: financeGroup, ...over });
const login = (id: string, minutes: number, over: Partial<AsaRecord> = {}): AsaRecord =>
  asa({ id: `asa:${id}`, type: 'server.ssh_login', at: at(minutes), user: 'alice', server: 'web-01', project: 'prod', text: `alice logged in to web-01 (project prod)`, ...over });

async function storeWith(records: EventRecord[]): Promise<LowdbEventStore> {
  const dir = await makeDataDir();
  dirs.push(dir);
  const store = new LowdbEventStore({ dataDir: dir, retentionDays: 36500 });
  stores.push(store);
  await store.open();
  // one append per record: each gets the next log position, in this order
  for (const r of records) await store.append([r]);
  return store;
}

/** routes everything stored through a fresh index, as Routing does after a start with an empty cursor */
async function routeAll(records: EventRecord[], userMap: Record<string, string> = {}): Promise<{ index: StillUsedIndex; cards: Card[] }> {
  const store = await storeWith(records);
  const index = new StillUsedIndex(store, userMap);
  index.start(0);
  const cards = [...index.cardsFor(store.recordsAfter(0)).values()].flat();
  return { index, cards };
}

describe('revoked but still used', () => {
  it('flags an ASA login by the revoked person after the revoke, matched by the local part of the login', async () => {
    const { index, cards } = await routeAll([revokeAlice(), login('1', 5)]);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card).toMatchObject({ kind: 'still_used', family: 'CERTIFICATION', severity: 'warning', key: 'still-used:I-alice', threadKey: 'decision:I-alice' });
    const facts = Object.fromEntries(card.facts.map((f) => [f.label, f.value]));
    expect(facts.Used).toBe('server login: alice logged in to web-01 (project prod)');
    expect(facts.Where).toBe('web-01');
    expect(facts.Match).toContain('by name only — ASA user alice = local part of alice@example.com');
    // /oig finds it under the Okta login, id, display name and the ASA name
    for (const key of ['alice@example.com', '00U1ALICE', 'Alice Example', 'alice']) expect(index.forPerson(key)).toHaveLength(1);
    expect(index.totals()).toMatchObject({ watched: 1, revokesUsed: 1, uses: 1, strong: 0, history: 0, lastUseAt: at(5) });
  });

  it('does not flag use before the revoke, use by someone else, a refused login, or a sign-in that is not use', async () => {
    const { index, cards } = await routeAll([
      login('before', -5),
      revokeAlice(),
      // done before the revoke, polled after it (the ASA poller runs every 5 minutes)
      login('before-polled-late', -2),
      login('bob', 5, { user: 'bob', text: 'bob logged in to web-01' }),
      login('denied', 6, { outcome: 'FAILURE' }),
      login('token', 7, { type: 'auth_token.issue', server: undefined }),
    ]);
    expect(cards).toEqual([]);
    expect(index.totals()).toMatchObject({ watched: 1, revokesUsed: 0, uses: 0 });
    expect(index.forPerson('alice@example.com')).toEqual([]);
  });

  it('matches through ASA_USER_MAP, and then not by the login name', async () => {
    const { asaUserMap } = loadConfig({ ASA_USER_MAP: 'ALICE@example.com=al_admin, 00u2bob=bobby' });
    const { index, cards } = await routeAll(
      [revokeAlice(), decision({ id: 'd-bob', item: 'I-bob', at: REVOKED_AT, principal: bob, resource: financeGroup }), login('al', 1, { user: 'AL_ADMIN' }), login('plain', 2), login('bobby', 3, { user: 'bobby' })],
      asaUserMap,
    );
    expect(cards.map((c) => c.key).sort()).toEqual(['still-used:I-alice', 'still-used:I-bob']);
    const [w] = index.forPerson('alice@example.com');
    expect(w!.uses).toBe(1);
    expect(w!.last!.record.id).toBe('asa:al');
    expect(w!.best!.how).toBe('map');
    // the mapped name answers /oig user too
    expect(index.forPerson('al_admin')).toHaveLength(1);
    expect(index.forPerson('bobby')[0]!.best!.how).toBe('map');
  });

  it('is strong when the event names the revoked group or its project is reached through it, else by name only', async () => {
    const { index, cards } = await routeAll([
      asa({ id: 'asa:link', type: 'project.add_group', at: at(-60), project: 'prod', details: { project: 'prod', group: 'Finance' } }),
      revokeAlice(),
      login('other-project', 1, { server: 'db-01', project: 'data', text: 'alice logged in to db-01 (project data)' }),
      login('via-project', 2),
      login('names-group', 3, { type: 'pam.user_creds.issue', user: 'alice@example.com', project: 'x', details: { origin: 'OPA', groups: 'Everyone, finance' } }),
    ]);
    const [w] = index.forPerson('alice');
    expect(w!.uses).toBe(3);
    expect(w!.strong).toBe(2);
    expect(w!.recent.map((u) => u.evidence)).toEqual([
      undefined,
      'project prod is reached through group Finance, the revoked group',
      'the event names group Finance, the revoked group',
    ]);
    // one card for the batch, the revoke's latest state: strong, so danger
    expect(cards).toHaveLength(1);
    expect(cards[0]!.severity).toBe('danger');
    expect(cards[0]!.facts.find((f) => f.label === 'Match')!.value).toMatch(/^strong — the event names group Finance/);
    expect(cards[0]!.facts.find((f) => f.label === 'Uses since the revoke')!.value).toMatch(/^3 times \(2 strong\)/);
    expect(index.totals()).toMatchObject({ uses: 3, strong: 2 });
  });

  it('a project.remove_group ends the project tie', async () => {
    const { index } = await routeAll([
      asa({ id: 'asa:link', type: 'project.add_group', at: at(-60), project: 'prod', details: { group: 'Finance' } }),
      asa({ id: 'asa:unlink', type: 'project.remove_group', at: at(-30), project: 'prod', details: { group: 'Finance' } }),
      revokeAlice(),
      login('1', 1),
    ]);
    expect(index.forPerson('alice')[0]!.strong).toBe(0);
  });

  it('matches OPA events by the Okta user id, exactly', async () => {
    const { index } = await routeAll([
      revokeAlice(),
      login('opa', 1, { id: 'uuid-opa-1', type: 'pam.server.ssh_login', src: 'system_log', user: 'someone-renamed', details: { origin: 'OPA', oktaUserId: '00u1alice' } }),
    ]);
    expect(index.forPerson('alice@example.com')[0]!.best!.how).toBe('okta-id');
  });

  it('a revoke naming no login (as Okta\'s certification events name a person: id and display name) borrows the login an earlier record gave that id', async () => {
    const aliceById = { id: alice.id, name: alice.name };
    const { index, cards } = await routeAll([
      accessRequest('create', { id: 'req-1', requestedFor: alice }),
      revokeAlice({ principal: aliceById }),
      login('1', 5),
    ]);
    expect(cards).toHaveLength(1);
    expect(Object.fromEntries(cards[0]!.facts.map((f) => [f.label, f.value])).Match).toContain('ASA user alice = local part of alice@example.com');
    expect(index.forPerson('alice@example.com')).toHaveLength(1);
    expect(index.totals()).toMatchObject({ watched: 1, noAsaName: 0, uses: 1 });
  });

  it('a revoke naming no login, with none earlier in the log, matches no ASA name and is counted as such; ASA_USER_MAP by Okta id, or OPA, still match', async () => {
    const aliceById = { id: alice.id, name: alice.name };
    // the login only appears after the revoke: not borrowed (the fold reads the log in order)
    const unnamed = await routeAll([revokeAlice({ principal: aliceById }), login('1', 5), accessRequest('create', { id: 'req-1', requestedFor: alice })]);
    expect(unnamed.cards).toEqual([]);
    expect(unnamed.index.totals()).toMatchObject({ watched: 1, noAsaName: 1, uses: 0 });

    const mapped = await routeAll([revokeAlice({ principal: aliceById }), login('1', 5)], { [alice.id!.toLowerCase()]: 'alice' });
    expect(mapped.cards).toHaveLength(1);
    expect(mapped.index.totals()).toMatchObject({ noAsaName: 0, uses: 1 });

    const opa = await routeAll([
      revokeAlice({ principal: aliceById }),
      login('opa', 1, { id: 'uuid-opa-1', type: 'pam.server.ssh_login', src: 'system_log', user: 'alice@example.com', details: { origin: 'OPA', oktaUserId: '00u1alice' } }),
    ]);
    expect(opa.index.forPerson(alice.id!)[0]!.best!.how).toBe('okta-id');
  });

  it('finds a use stored before its revoke reached the log (out of order), and says so once', async () => {
    const { index, cards } = await routeAll([login('early-stored', 5), revokeAlice()]);
    expect(index.totals().uses).toBe(1);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.eventIds).toEqual(['d-alice', 'asa:early-stored']);
  });

  it('stops watching when a newer decision replaces the revoke; other apps are not watched; the ASA app itself is strong', async () => {
    const approved = await routeAll([revokeAlice(), decision({ id: 'd-alice-2', item: 'I-alice', at: at(1), principal: alice, resource: financeGroup, decision: 'APPROVE' }), login('1', 5)]);
    expect(approved.index.totals()).toMatchObject({ watched: 0, uses: 0 });
    // the same, delivered the other way round: the older revoke arrives after the newer approval
    const late = await routeAll([decision({ id: 'd-alice-2', item: 'I-alice', at: at(1), principal: alice, resource: financeGroup, decision: 'APPROVE' }), revokeAlice(), login('1', 5)]);
    expect(late.index.totals()).toMatchObject({ watched: 0, uses: 0 });

    const app = await routeAll([revokeAlice({ resource: salesforce }), login('1', 5)]);
    expect(app.index.totals()).toMatchObject({ watched: 0, uses: 0 });

    const asaApp = await routeAll([revokeAlice({ resource: { id: '0oaasa', name: 'Okta Advanced Server Access', type: 'APPLICATION' } }), login('1', 5)]);
    expect(asaApp.index.forPerson('alice')[0]!.best!.evidence).toBe('the revoked app Okta Advanced Server Access is ASA/OPA itself');
  });

  it('says when one ASA name matches several revoked people (shared local part)', async () => {
    const otherAlice = { id: '00u5alice', name: 'Alice Other', login: 'alice@other.example' };
    const { index, cards } = await routeAll([revokeAlice(), decision({ id: 'd-alice2', item: 'I-alice2', at: REVOKED_AT, principal: otherAlice, resource: financeGroup }), login('1', 5)]);
    expect(cards).toHaveLength(2);
    expect(index.forPerson('alice@example.com')[0]!.sharedWith).toEqual(['alice@other.example']);
    expect(cards.find((c) => c.key === 'still-used:I-alice')!.notes!.join(' ')).toContain('also matches the revoke of alice@other.example');
  });

  it('replies in the task card thread when the remediation needs a person', async () => {
    const { cards } = await routeAll([revokeAlice(), skipped({ id: 'r-alice', item: 'I-alice', at: at(1), principal: alice, resource: financeGroup }), login('1', 5)]);
    expect(cards[0]!.threadKey).toBe('manual:I-alice');
  });

  it('a repeat updates the same reply with a count; one card per revoke per batch', async () => {
    const store = await storeWith([revokeAlice(), login('1', 1)]);
    const index = new StillUsedIndex(store);
    index.start(0);
    const first = [...index.cardsFor(store.recordsAfter(0)).values()].flat();
    await store.append([login('2', 2)]);
    await store.append([login('3', 3)]);
    const second = [...index.cardsFor(store.recordsAfter(2)).values()].flat();
    expect(first.map((c) => c.key)).toEqual(['still-used:I-alice']);
    expect(second.map((c) => c.key)).toEqual(['still-used:I-alice']);
    expect(second[0]!.facts.find((f) => f.label === 'Uses since the revoke')!.value).toBe(`3 times (0 strong), first 2026-11-20 10:01:00 UTC`);
  });

  it('rebuilt at start from the store, it has the same flags, and makes the same cards for what was not routed yet', async () => {
    const records = [revokeAlice(), login('1', 1), login('early', 30), decision({ id: 'd-bob', item: 'I-bob', at: at(10), principal: bob, resource: financeGroup }), login('bob', 20, { user: 'bob' }), login('2', 40)];
    const store = await storeWith(records);
    // routed in two batches; the cursor reached the first one's end, then a kill -9
    const before = new StillUsedIndex(store);
    before.start(0);
    before.cardsFor(store.recordsAfter(0).filter((r) => r.seq! <= 3));
    const second = [...before.cardsFor(store.recordsAfter(3)).values()].flat();
    expect(second.map((c) => c.key).sort()).toEqual(['still-used:I-alice', 'still-used:I-bob']);
    // the restart rebuilds through position 3 and routes the rest again: the same cards, the same flags
    const after = new StillUsedIndex(store);
    after.start(3);
    const again = [...after.cardsFor(store.recordsAfter(3)).values()].flat();
    expect(again).toEqual(second);
    expect(after.totals()).toEqual(before.totals());
    expect(after.forPerson('alice')).toEqual(before.forPerson('alice'));
    // a full restart routes nothing again and keeps every flag
    const full = new StillUsedIndex(store);
    full.start(store.lastSeq);
    expect(full.cardsFor(store.recordsAfter(store.lastSeq)).size).toBe(0);
    expect(full.totals()).toEqual(before.totals());
  });

  it('counts history (late records) like any use', async () => {
    const { index } = await routeAll([revokeAlice(), login('old', 1, { late: true })]);
    expect(index.totals()).toMatchObject({ uses: 1, history: 1 });
  });
});
