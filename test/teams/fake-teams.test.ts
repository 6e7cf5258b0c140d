/**
 * The fake Bot Framework connector itself, driven with plain fetch, so the end-to-end Teams tests can trust
 * it. The URLs are built the way botbuilder's client builds them: serviceUrl + `v3/…`, every path
 * parameter through encodeURIComponent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD, FakeTeams, threadConversationId } from '../helpers/fake-teams.ts';

const CHANNEL = '19:abc123@thread.tacv2';
const card = (title: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: title }] });
const message = (title: string) => ({ type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content: card(title) }] });

let teams: FakeTeams;
beforeEach(async () => {
  teams = await FakeTeams.start();
});
afterEach(async () => {
  await teams.close();
});

async function call(method: string, path: string, body?: unknown, base = teams.url): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

const enc = encodeURIComponent;

describe('FakeTeams', () => {
  it('sends, replies and updates, with numeric ids and decoded conversation ids', async () => {
    const sent = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('first'));
    expect(sent).toMatchObject({ status: 201, body: { id: '1700000000001' } });
    const thread = threadConversationId(CHANNEL, '1700000000001');
    expect(thread).toBe(`${CHANNEL};messageid=1700000000001`);
    const reply = await call('POST', `v3/conversations/${enc(thread)}/activities/1700000000001`, { type: 'message', text: 'in the thread' });
    expect(reply.body).toEqual({ id: '1700000000002' });
    const update = await call('PUT', `v3/conversations/${enc(CHANNEL)}/activities/1700000000001`, message('edited'));
    expect(update).toMatchObject({ status: 200, body: { id: '1700000000001' } });

    expect(teams.sent().map((s) => [s.kind, s.conversationId, s.activityId])).toEqual([
      ['send', CHANNEL, '1700000000001'],
      ['reply', thread, '1700000000002'],
      ['update', CHANNEL, '1700000000001'],
    ]);
    expect(teams.sent()[1]!.replyToId).toBe('1700000000001');
    expect(teams.requests[1]).toMatchObject({ method: 'POST', conversationId: thread, activityId: '1700000000001', status: 201 });
    expect(teams.messages.get('1700000000001')).toMatchObject({ conversationId: CHANNEL, edits: 1 });
    expect(teams.threadOf('1700000000001')).toBe(thread);
  });

  it('lists the Adaptive Cards of a conversation, exactly or with its threads', async () => {
    await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('one'));
    await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, { type: 'message', text: 'no card' });
    await call('POST', `v3/conversations/${enc(teams.threadOf('1700000000001'))}/activities/1700000000001`, message('two'));
    await call('POST', `v3/conversations/${enc('19:other@thread.tacv2')}/activities`, message('elsewhere'));
    expect(teams.cardsIn(CHANNEL)).toEqual([card('one')]);
    expect(teams.cardsIn(CHANNEL, { threads: true })).toEqual([card('one'), card('two')]);
    expect(teams.cardsIn(teams.threadOf('1700000000001'))).toEqual([card('two')]);
  });

  it('works with a serviceUrl without its trailing slash, or with a path of its own', async () => {
    const bare = teams.url.replace(/\/$/, '');
    expect((await call('POST', `${bare}/v3/conversations/${enc(CHANNEL)}/activities`, message('a'))).status).toBe(201);
    expect((await call('POST', `${teams.url}amer/v3/conversations/${enc(CHANNEL)}/activities`, message('b'))).status).toBe(201);
    expect(teams.cardsIn(CHANNEL)).toHaveLength(2);
  });

  it('answers members from its table, 404 MemberNotFoundInConversation otherwise', async () => {
    teams.addMember({ id: '29:1alice', name: 'Alice', aadObjectId: 'aad-alice', userPrincipalName: 'alice@example.com', email: 'alice@example.com', tenantId: 't1' });
    teams.addMember({ id: '29:1bob', name: 'Bob', aadObjectId: 'aad-bob' }, '19:elsewhere@thread.tacv2');
    const alice = await call('GET', `v3/conversations/${enc(CHANNEL)}/members/${enc('29:1alice')}`);
    expect(alice).toMatchObject({ status: 200, body: { id: '29:1alice', name: 'Alice', aadObjectId: 'aad-alice', objectId: 'aad-alice', userPrincipalName: 'alice@example.com' } });
    expect((await call('GET', `v3/conversations/${enc(CHANNEL)}/members/aad-alice`)).status).toBe(200);
    const bob = await call('GET', `v3/conversations/${enc(CHANNEL)}/members/${enc('29:1bob')}`);
    expect(bob).toMatchObject({ status: 404, body: { error: { code: 'MemberNotFoundInConversation' } } });
    const all = await call('GET', `v3/conversations/${enc(CHANNEL)}/members`);
    expect((all.body as Array<{ id: string }>).map((m) => m.id)).toEqual(['29:1alice']);
    const paged = await call('GET', `v3/conversations/${enc('19:elsewhere@thread.tacv2')}/pagedmembers?pageSize=100`);
    expect((paged.body as { members: Array<{ id: string }> }).members.map((m) => m.id)).toEqual(['29:1alice', '29:1bob']);
    expect(teams.requests.at(-1)).toMatchObject({ method: 'GET', conversationId: '19:elsewhere@thread.tacv2' });
  });

  it('answers scripted failures with error bodies and Retry-After, then recovers', async () => {
    teams.failNext(1, { status: 429, retryAfter: 2 });
    teams.failNext(1, { status: 503 });
    const limited = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'));
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'TooManyRequests' } } });
    expect(limited.headers.get('retry-after')).toBe('2');
    // a read is not an activity call: untouched by failNext unless scope is 'any'
    expect((await call('GET', `v3/conversations/${enc(CHANNEL)}/members`)).status).toBe(200);
    const down = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'));
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'ServiceUnavailable' } } });
    expect(down.headers.get('retry-after')).toBeNull();
    expect((await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'))).status).toBe(201);
    expect(teams.violations).toBe(3); // the read and both writes came inside the 2 s window
    expect(teams.sent()).toHaveLength(1);
    expect(teams.requests.map((r) => r.status)).toEqual([429, 200, 503, 201]);
  });

  it('refuses a conversation until cleared (the bot was removed from the team)', async () => {
    teams.failConversation(CHANNEL, { status: 403, code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' });
    const refused = await call('POST', `v3/conversations/${enc(threadConversationId(CHANNEL, '1'))}/activities/1`, message('x'));
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } });
    expect((await call('POST', `v3/conversations/${enc('19:other@thread.tacv2')}/activities`, message('x'))).status).toBe(201);
    teams.clearConversation(CHANNEL);
    expect((await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'))).status).toBe(201);
  });

  it('waits for a matching activity, and says what was sent when none comes', async () => {
    const waiting = teams.waitFor((s) => s.conversationId === CHANNEL && s.kind === 'send');
    await call('POST', `v3/conversations/${enc('19:other@thread.tacv2')}/activities`, { type: 'message', text: 'not this one' });
    setTimeout(() => void call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('late')), 50);
    await expect(waiting).resolves.toMatchObject({ conversationId: CHANNEL, activityId: '1700000000002' });
    // already sent: resolves at once
    await expect(teams.waitFor((s) => s.activityId === '1700000000001', 10)).resolves.toMatchObject({ kind: 'send' });
    await expect(teams.waitFor((s) => s.kind === 'update', 100)).rejects.toThrow(/nothing matched in 100 ms[\s\S]*send 19:other@thread\.tacv2 #1700000000001 message text="not this one"/);
  });

  it('answers 404 to anything else, and records it', async () => {
    const res = await call('GET', `v3/teams/${enc('19:team@thread.tacv2')}/conversations`);
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
    expect(teams.requests).toMatchObject([{ method: 'GET', path: `/v3/teams/${enc('19:team@thread.tacv2')}/conversations`, status: 404 }]);
    expect(teams.sent()).toEqual([]);
  });
});
