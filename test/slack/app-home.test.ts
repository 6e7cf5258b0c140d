/**
 * Issue 14 §2: the Slack Home tab, end to end — the real Bot, the real Slack adapter and Bolt app behind
 * the bot's own HTTP route, signed requests as Slack sends them, the real work queue, against the fake
 * Slack Web API (views.publish, chat.*) on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { postSlack, SIGNING_SECRET, slackSignature } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { clickBody } from '../followup/task-bot.ts';
import { buttonsOf, homeOf, homeOpenedBody, openHome, pressInHome, taskOrder, wordsOf } from './app-home-helpers.ts';
import { capturingLogger, MANUAL, startSlackBot, type SlackBot } from './slack-bot.ts';
import { HOME_DEFAULTS, type HomeTuning } from '../../adapters/slack/home/home-tab.ts';

let fake: FakeSlack;
let running: SlackBot | undefined;

beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await fake.close();
});

const ALLOWED = { OIG_ALLOWED_USERS: 'U0ALICE, U0BOB' };
/** quick for tests: a change settles in 150 ms, publishes 10 ms apart */
const HOME = { settleMs: 150, intervalMs: 10 };

async function start(env: Record<string, string> = ALLOWED, log?: ReturnType<typeof capturingLogger>['log'], home: Partial<HomeTuning> = HOME): Promise<SlackBot> {
  running = await startSlackBot(fake, { env, followUp: true, tuning: { home }, ...(log ? { log } : {}) });
  return running;
}

const queue = () => running!.followUp!.queue;

/**
 * skipped remediations for `items`, a minute apart in that order (the first is the oldest), once their task
 * cards are posted: the paced outbox posts them one by one, and a press on a task whose card is still queued
 * changes the queued post instead of editing a message (or, counted later, looks like a call the press made)
 */
async function skipped(items: string[]): Promise<string[]> {
  const posted = fake.posts(MANUAL).length;
  const events = items.map((item, i) => remediateEvent({ item, outcome: 'SKIPPED', resource: APP, published: `2026-11-01T09:${String(i).padStart(2, '0')}:00.000Z` }));
  await postHook(running!.url, envelope(events));
  await eventually(() => expect(queue().openTasks()).toHaveLength(items.length));
  await eventually(() => expect(fake.posts(MANUAL)).toHaveLength(posted + items.length));
  return items.map((item) => `item:${item}`);
}

describe('Slack Home tab', () => {
  it('app_home_opened publishes the person\'s view: their task first, then unclaimed, then others\', with the task buttons', async () => {
    await start();
    const [a, b, c, d] = await skipped(['iciiHomeA001', 'iciiHomeB001', 'iciiHomeC001', 'iciiHomeD001']);
    // Bob claims the newest (d), Alice claims b: each through the task card, as today
    for (const [id, user] of [[d, 'U0BOB'], [b, 'U0ALICE']] as const) {
      expect((await postSlack(running!.url, clickBody('oig_manual_claim', id!, { user, responseUrl: fake.responseUrl() }))).status).toBe(200);
    }
    await eventually(() => expect(queue().openTasks().filter((t) => t.state === 'claimed')).toHaveLength(2));

    expect((await openHome(running!.url, 'U0BOB')).status).toBe(200);
    await eventually(() => expect(fake.publishes('U0BOB')).toHaveLength(1));
    const bob = homeOf(fake, 'U0BOB');
    expect(taskOrder(bob)).toEqual([d, a, c, b]);
    expect(buttonsOf(bob, d!)).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);
    expect(buttonsOf(bob, a!)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(wordsOf(bob)).toContain('Claimed by you');
    expect(wordsOf(bob)).toContain('4 open tasks: 1 yours, 2 unclaimed, 1 claimed by others');

    await openHome(running!.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(1));
    expect(taskOrder(homeOf(fake, 'U0ALICE'))).toEqual([b, a, c, d]);
    expect(wordsOf(homeOf(fake, 'U0ALICE'))).toContain('Claimed by u0bob');
    // the Messages tab opens the same event: no view for it
    await openHome(running!.url, 'U0CAROL', { tab: 'messages' });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.publishes('U0CAROL')).toHaveLength(0);
  });

  it('a press from the Home tab changes the task, and the clicker and other viewers get a new view showing it', async () => {
    await start();
    const [a, b] = await skipped(['iciiPress001', 'iciiPress002']);
    await openHome(running!.url, 'U0ALICE');
    await openHome(running!.url, 'U0BOB');
    await eventually(() => expect(fake.publishes().length).toBe(2));

    await pressInHome(running!.url, 'oig_manual_claim', b!, 'U0ALICE');
    await eventually(() => expect(queue().get(b!)).toMatchObject({ state: 'claimed', owner: { id: 'U0ALICE', via: 'slack' } }));
    await eventually(() => {
      expect(taskOrder(homeOf(fake, 'U0ALICE'))).toEqual([b, a]);
      expect(wordsOf(homeOf(fake, 'U0ALICE'))).toContain('You claimed this task.');
      expect(buttonsOf(homeOf(fake, 'U0ALICE'), b!)).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);
      // Bob is refreshed too: b is someone else's now, after the unclaimed a
      expect(taskOrder(homeOf(fake, 'U0BOB'))).toEqual([a, b]);
    });
    // the task card in the channel is edited as for a press on the card
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    expect(queue().audit(b)[0]).toMatchObject({ action: 'claim', result: 'ok', actor: { id: 'U0ALICE' } });

    await pressInHome(running!.url, 'oig_manual_done', b!, 'U0ALICE');
    await eventually(() => expect(taskOrder(homeOf(fake, 'U0ALICE'))).toEqual([a]));
    expect(queue().get(b!)?.state).toBe('done');
    // no response_url in a Home press: nothing was posted to one
    expect(fake.responses).toHaveLength(0);
  });

  it('a refused press (not in OIG_ALLOWED_USERS) changes nothing, is audited as refused, and the clicker reads why in their view', async () => {
    await start({ OIG_ALLOWED_USERS: 'U0ALICE' });
    const [a] = await skipped(['iciiRefused1']);
    await openHome(running!.url, 'U0MALLORY');
    await eventually(() => expect(fake.publishes('U0MALLORY')).toHaveLength(1));
    const posted = fake.calls.length;

    await pressInHome(running!.url, 'oig_manual_claim', a!, 'U0MALLORY');
    await eventually(() => expect(fake.publishes('U0MALLORY')).toHaveLength(2));
    expect(wordsOf(homeOf(fake, 'U0MALLORY'))).toContain('You are not allowed to act on manual-remediation tasks');
    expect(queue().get(a!)).toMatchObject({ state: 'open' });
    expect(queue().get(a!)?.owner).toBeUndefined();
    expect(queue().audit(a)[0]).toMatchObject({ action: 'claim', result: 'refused', actor: { id: 'U0MALLORY' } });
    // the refused view still shows the task as open, with its buttons; nothing else was called
    expect(buttonsOf(homeOf(fake, 'U0MALLORY'), a!)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    await new Promise((r) => setTimeout(r, HOME.settleMs * 2));
    expect(fake.calls.slice(posted).map((c) => c.method)).toEqual(['views.publish']);
  });

  it('a routing burst of many tasks makes a bounded number of publishes per viewer, each within 100 blocks', async () => {
    // the production pace: a change settles for a second
    const settle = HOME_DEFAULTS.settleMs;
    await start(ALLOWED, undefined, { settleMs: settle, intervalMs: 10 });
    await openHome(running!.url, 'U0ALICE');
    await openHome(running!.url, 'U0BOB');
    await eventually(() => expect(fake.publishes().length).toBe(2));
    expect(wordsOf(homeOf(fake, 'U0ALICE'))).toContain('Nothing to do');

    const began = Date.now();
    const items = Array.from({ length: 300 }, (_, i) => `iciiBurst${String(i).padStart(3, '0')}`);
    for (let i = 0; i < items.length; i += 100) {
      const events = items.slice(i, i + 100).map((item, j) => remediateEvent({ item, outcome: 'SKIPPED', resource: APP, published: new Date(Date.UTC(2026, 10, 1, 9, 0, i + j)).toISOString() }));
      await postHook(running!.url, envelope(events));
    }
    await eventually(() => expect(queue().openTasks()).toHaveLength(300), 20_000);
    const opened = Date.now() - began;
    await eventually(() => expect(wordsOf(homeOf(fake, 'U0BOB'))).toContain('300 open tasks'), 5000);
    await new Promise((r) => setTimeout(r, settle * 2));

    for (const user of ['U0ALICE', 'U0BOB']) {
      const after = fake.publishes(user).length - 1;
      // at most one refresh per settle period while tasks kept opening, and one after: not one per task
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(Math.ceil(opened / settle) + 1);
      expect(after).toBeLessThan(20);
      const blocks = homeOf(fake, user);
      expect(blocks.length).toBeLessThanOrEqual(100);
      expect(blocks.at(-1)!.elements![0]!.text).toMatch(/^\d+ more: \/oig skipped$/);
    }
    expect(fake.calls.filter((c) => c.method === 'views.publish' && c.error)).toHaveLength(0);
    // oldest first: the view starts with the first task of the burst
    expect(taskOrder(homeOf(fake, 'U0ALICE'))[0]).toBe('item:iciiBurst000');
  }, 40_000);

  it('refuses unsigned, badly signed and malformed events without publishing; an event without a user publishes nothing', async () => {
    await start();
    const wrong = await openHome(running!.url, 'U0ALICE', { headers: { signature: 'v0=' + '0'.repeat(64) } });
    expect(wrong.status).toBe(401);
    const unsigned = await fetch(`${running!.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"event_callback"}' });
    expect(unsigned.status).toBe(401);
    const stale = await openHome(running!.url, 'U0ALICE', { headers: { timestamp: Math.floor(Date.now() / 1000) - 3600 } });
    expect(stale.status).toBe(401);
    const malformed = await postSlack(running!.url, '{"type":"event_callback","event":', { contentType: 'application/json' });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    const oversized = await postSlack(running!.url, JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(1024 * 1024 + 10) }), { contentType: 'application/json' });
    expect(oversized.status).toBeGreaterThanOrEqual(400);
    const noUser = await postSlack(running!.url, JSON.stringify({ type: 'event_callback', event_id: 'Ev0NOUSER', event: { type: 'app_home_opened', tab: 'home' } }), { contentType: 'application/json' });
    expect(noUser.status).toBe(200);
    const badUser = await openHome(running!.url, '__proto__');
    expect(badUser.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.publishes()).toHaveLength(0);
  });

  it('a retried app_home_opened (same event id, x-slack-retry-num) publishes nothing more', async () => {
    await start();
    await skipped(['iciiRetry001']);
    // the task's own change settled first: only openings count below
    await new Promise((r) => setTimeout(r, HOME.settleMs * 2));
    await openHome(running!.url, 'U0ALICE', { eventId: 'Ev0RETRY0001' });
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(1));
    const body = homeOpenedBody('U0ALICE', { eventId: 'Ev0RETRY0001' });
    const ts = Math.floor(Date.now() / 1000);
    const retry = await fetch(`${running!.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      },
      body,
    });
    expect(retry.status).toBe(200);
    await openHome(running!.url, 'U0ALICE', { eventId: 'Ev0RETRY0001' });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.publishes('U0ALICE')).toHaveLength(1);
    // a new opening of the tab is a new event: published again
    await openHome(running!.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(2));
  });

  it('when Slack refuses views.publish, presses still work and the failure is logged once', async () => {
    const { log, lines } = capturingLogger();
    await start(ALLOWED, log);
    const [a] = await skipped(['iciiDown0001']);
    await openHome(running!.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(1));
    await fake.down('500');
    for (const action of ['oig_manual_claim', 'oig_manual_done', 'oig_manual_reopen']) {
      await pressInHome(running!.url, action, a!, 'U0ALICE');
    }
    await eventually(() => expect(queue().audit(a)).toHaveLength(3));
    expect(queue().get(a!)?.state).toBe('open');
    await new Promise((r) => setTimeout(r, HOME.settleMs * 2));
    const failed = fake.calls.filter((c) => c.method === 'views.publish' && c.status === 500);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    const warned = lines.filter((l) => Number(l.level) >= 40 && String(l.msg).includes('views.publish'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ code: 'http_500', user: 'U0ALICE' });
    await fake.up();
    await openHome(running!.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(2));
    expect(lines.some((l) => String(l.msg).includes('published again'))).toBe(true);
  });

  it('a 429 from views.publish waits out its Retry-After, then publishes the view', async () => {
    await start();
    await skipped(['iciiLimit001']);
    fake.rateLimitNext(1, 1, 'views.publish');
    const at = Date.now();
    await openHome(running!.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(1), 4000);
    const tries = fake.calls.filter((c) => c.method === 'views.publish');
    expect(tries.map((c) => c.status)).toEqual([429, 200]);
    expect(tries[1]!.at - at).toBeGreaterThanOrEqual(950);
  });
});

