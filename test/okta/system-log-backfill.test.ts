import { FileStateStore } from '../../src/store/file-state-store.ts';
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { DECIDE, GOVERNANCE_EVENT_TYPES } from '../../src/okta/event-types.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { SystemLogBackfill, type SystemLogBackfillOptions } from '../../src/okta/system-log-backfill.ts';
import { eventTypeFilters } from '../../src/okta/system-log-filter.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { PRINCIPAL, decideEvent, envelope, logEvent, systemEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { startCore, type Core } from '../asa/support.ts';

const MINUTE = 60_000;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Setup {
  okta: FakeOkta;
  bot: Core;
  backfill: SystemLogBackfill;
  waits: number[];
  make(o?: Partial<SystemLogBackfillOptions>): SystemLogBackfill;
}

/** `bot`: a whole Bot (hook route, cards); otherwise the real store and intake only */
async function setup(o: Partial<SystemLogBackfillOptions> = {}, bot_ = false): Promise<Setup> {
  const okta = await FakeOkta.start();
  const bot = await startCore(bot_);
  const agent = createHttpAgent({ headersTimeoutMs: 5000 });
  cleanup.push(() => okta.close(), async () => {
    await bot.stop();
    await rm(bot.dataDir, { recursive: true, force: true });
  }, () => agent.close());
  const waits: number[] = [];
  const http = new HttpClient({ dispatcher: agent, sleep: async (ms) => void waits.push(ms), maxAttempts: 3 });
  const made: SystemLogBackfill[] = [];
  cleanup.push(async () => {
    for (const b of made) await b.stop();
  });
  const make = (extra: Partial<SystemLogBackfillOptions> = {}) => {
    const b = new SystemLogBackfill({
      okta: oktaConnection({ orgUrl: okta.url, apiToken: okta.token }),
      intake: bot.intake,
      state: new FileStateStore(bot.dataDir),
      log: pino({ level: 'silent' }),
      metrics: bot.metrics,
      http,
      runAtStart: false,
      ...o,
      ...extra,
    });
    made.push(b);
    return b;
  };
  return { okta, bot, backfill: make(), waits, make };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * MINUTE).toISOString();

describe('System Log backfill', () => {
  it('recovers an event the hook never delivered and stores and posts once one that came both ways', async () => {
    const s = await setup({}, true);
    const both = decideEvent({ decision: 'REVOKE', published: minutesAgo(30) });
    const lost = decideEvent({ decision: 'REVOKE', published: minutesAgo(20), principal: { ...PRINCIPAL, id: '00u1lost2Principal0d7', name: 'Lost Principal' } });
    expect((await postHook(s.bot.url!, envelope([both]))).status).toBe(200);
    await eventually(() => expect(s.bot.sink!.cards).toHaveLength(1));

    s.okta.add(both, systemEvent('system.org.rate_limit.warning', { published: minutesAgo(40) }), lost);
    s.okta.add(logEvent({ published: minutesAgo(10) })); // user.lifecycle.deactivate: not a type the bot asks for
    const run = await s.backfill.runOnce();

    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ poller: 'system_log', queries: 2, read: 3, stored: 2, duplicates: 1 });
    expect(s.bot.store.has(lost.uuid as string)).toBe(true);
    await s.bot.idle();
    const cardsFor = (uuid: unknown) => s.bot.sink!.cards.filter((c) => c.eventIds.includes(uuid as string));
    expect(cardsFor(both.uuid)).toHaveLength(1);
    expect(cardsFor(lost.uuid)).toHaveLength(1);
    expect(cardsFor(lost.uuid)[0]!.title).toContain('Lost Principal');

    // what was asked: governance types only, 24 h back on the first run, ascending (a polling request), SSWS
    const q = s.okta.requests[0]!;
    expect(q.authorization).toBe(`SSWS ${s.okta.token}`);
    expect(q.query.get('sortOrder')).toBe('ASCENDING');
    expect(q.query.get('limit')).toBe('1000');
    expect(q.query.get('until')).toBeNull();
    expect(Math.abs(Date.parse(q.query.get('since')!) - (Date.now() - 24 * 60 * MINUTE))).toBeLessThan(MINUTE);
    const asked = s.okta.requests.flatMap((r) => [...(r.query.get('filter') ?? '').matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]));
    expect(new Set(asked)).toEqual(new Set(GOVERNANCE_EVENT_TYPES));
  });

  it('stores a backfill of hours-old events and summarises them in one card; a fresh one is still posted', async () => {
    const s = await setup({}, true);
    const old = Array.from({ length: 30 }, (_, i) => decideEvent({ decision: 'REVOKE', published: minutesAgo(20 * 60 - i * 30), campaign: { id: `iccOld${i}` } }));
    const fresh = decideEvent({ decision: 'REVOKE', published: minutesAgo(10) });
    s.okta.add(...old, fresh);
    const run = await s.backfill.runOnce();
    expect(run).toMatchObject({ stored: 31 });
    await s.bot.idle();
    const cards = s.bot.sink!.cards;
    expect(cards.filter((c) => c.kind === 'decision').map((c) => c.eventIds)).toEqual([[fresh.uuid]]);
    const summaries = cards.filter((c) => c.kind === 'catch_up');
    expect(new Set(summaries.map((c) => c.key)).size).toBe(1);
    expect(summaries.at(-1)!.title).toMatch(/^Caught up 30 certification events from /);
    expect(summaries.at(-1)!.family).toBe('CERTIFICATION');
    // stored and answerable all the same
    expect(old.every((e) => s.bot.store.has(e.uuid as string))).toBe(true);
  });

  it('follows next links until an empty page', async () => {
    const s = await setup({ limit: 2, eventTypes: [DECIDE] });
    s.okta.add(...Array.from({ length: 5 }, (_, i) => decideEvent({ decision: 'APPROVE', published: minutesAgo(50 - i) })));
    const run = await s.backfill.runOnce();
    expect(run).toMatchObject({ queries: 1, pages: 4, read: 5, stored: 5 });
    expect(s.okta.requests.map((r) => r.query.get('after')?.split('.')[0] ?? null)).toEqual([null, '1', '3', '4']);
  });

  it('asks the next run from the mark minus the overlap; a failed run leaves the mark', async () => {
    const s = await setup({ eventTypes: [DECIDE] });
    s.okta.add(decideEvent({ decision: 'APPROVE', published: minutesAgo(90) }));
    await s.backfill.runOnce();
    const mark = s.backfill.status().mark!;
    // the mark is Okta's clock at the run (the newest event is older): a quiet org does not re-read it
    expect(Math.abs(Date.parse(mark) - Date.now())).toBeLessThan(MINUTE);

    s.okta.script({ status: 503 }, { status: 503 }, { status: 503 });
    const failed = await s.backfill.runOnce();
    expect(failed.error).toMatch(/^Okta System Log page failed: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/logs answered 503 Service Unavailable \(after 3 attempts\)$/);
    expect(s.waits).toHaveLength(2);
    expect(s.backfill.status().mark).toBe(mark);

    const late = decideEvent({ decision: 'REVOKE', published: new Date(Date.parse(mark) - 5 * MINUTE).toISOString() });
    s.okta.add(late);
    const next = await s.backfill.runOnce();
    expect(s.okta.requests.at(-2)!.query.get('since')).toBe(new Date(Date.parse(mark) - 10 * MINUTE).toISOString());
    expect(next).toMatchObject({ stored: 1 });

    // the mark and the runs survive a restart
    const again = s.make();
    await again.open();
    expect(again.status().mark).toBe(s.backfill.status().mark);
    expect(again.status().recentRuns).toHaveLength(3);
  });

  it('retries a 429 as X-Rate-Limit-Reset says', async () => {
    const s = await setup({ eventTypes: [DECIDE] });
    s.okta.script({ status: 429, headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 2) }, body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}' });
    const run = await s.backfill.runOnce();
    expect(run.error).toBeUndefined();
    expect(s.waits[0]).toBeGreaterThan(1000);
  });

  it('says what is wrong with a refused token, without the token', async () => {
    const s = await setup();
    const wrong = s.make({ okta: oktaConnection({ orgUrl: s.okta.url, apiToken: '00wrongTokenValue000000000000000000000000' }) });
    const run = await wrong.runOnce();
    expect(run.error).toMatch(/answered 401 Unauthorized \(E0000011: Invalid token provided\)$/);
    expect(run.error).not.toContain('00wrongTokenValue');
    expect(wrong.status().mark).toBeUndefined();
  });

  it('refuses an answer that is not a list of events', async () => {
    const s = await setup({ eventTypes: [DECIDE] });
    s.okta.script({ status: 200, body: '{"errorCode":"E0000001"}' });
    const run = await s.backfill.runOnce();
    expect(run.error).toBe('Okta System Log page: the answer is not a list of events (keys: errorCode)');
    expect(s.backfill.status().mark).toBeUndefined();
  });
});

describe('eventTypeFilters', () => {
  it('is one expression when it fits', () => {
    expect(eventTypeFilters(['a.b', 'c.d', 'a.b'])).toEqual(['eventType eq "a.b" or eventType eq "c.d"']);
  });

  it('splits a long expression into complete ones, each within the limit, covering every type once', () => {
    const filters = eventTypeFilters(GOVERNANCE_EVENT_TYPES, 300);
    expect(filters.length).toBeGreaterThan(5);
    for (const f of filters) {
      expect(f.length).toBeLessThanOrEqual(300);
      expect(f).toMatch(/^eventType eq "[^"]+"( or eventType eq "[^"]+")*$/);
    }
    const types = filters.flatMap((f) => [...f.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect(types).toEqual([...GOVERNANCE_EVENT_TYPES]);
  });

  it('the default fits all governance types in two queries', () => {
    expect(eventTypeFilters(GOVERNANCE_EVENT_TYPES)).toHaveLength(2);
  });

  it('refuses a type that would break the expression', () => {
    expect(() => eventTypeFilters(['a" or eventType pr "'])).toThrow(/not an Okta event type/);
  });
});
