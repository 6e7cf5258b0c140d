import { afterEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/okta/log-event.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { campaignEvent, decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { CERT, FAST, MANUAL, startSlackBot, type SlackBot } from './slack-bot.ts';

/** the fact as Block Kit fields: our bold label, then Okta's value beside it as plain_text */
const EVENTS_1999 = /"\*Events collected\*"[^}]*\},\{"type":"plain_text","text":"1999"/;

let fake: FakeSlack | undefined;
let running: SlackBot | undefined;

afterEach(async () => {
  await running?.stop(true);
  await fake?.close();
  running = undefined;
  fake = undefined;
});

/**
 * What Okta sends when a campaign closes: last-minute REVOKE decisions, a NORESPONSE decision for every
 * unreviewed item, then the remediations (some SKIPPED). 2,000 events in all.
 */
function closeBurst(): LogEvent[] {
  const events: LogEvent[] = [campaignEvent('close')];
  const user = (i: number) => ({ id: `00uBurst${i}`, name: `User ${i}`, login: `user${i}@example.com` });
  for (let i = 0; i < 50; i++) events.push(decideEvent({ item: `iciiRevoke${i}`, principal: user(i), notes: `revoked ${i}` }));
  for (let i = 0; i < 950; i++) events.push(decideEvent({ item: `iciiNoResp${i}`, decision: 'NORESPONSE', principal: user(1000 + i) }));
  for (let i = 0; i < 49; i++) events.push(remediateEvent({ item: `iciiRevoke${i}`, principal: user(i), outcome: i % 5 === 0 ? 'SKIPPED' : 'SUCCESS' }));
  for (let i = 0; i < 950; i++) {
    events.push(remediateEvent({ item: `iciiNoResp${i}`, decision: 'NORESPONSE', principal: user(1000 + i), outcome: i % 19 === 0 ? 'SKIPPED' : 'SUCCESS' }));
  }
  return events;
}

async function postInBatches(url: string, events: LogEvent[], size: number, concurrency: number): Promise<void> {
  const bodies: LogEvent[][] = [];
  for (let i = 0; i < events.length; i += size) bodies.push(events.slice(i, i + size));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const res = await postHook(url, envelope(bodies[next++]!));
        expect(res.status).toBe(200);
      }
    }),
  );
}

describe('a campaign-close burst becomes a digest, paced', () => {
  it('turns 2,000 close-time events into a handful of messages, one call per interval per channel', async () => {
    fake = await FakeSlack.start();
    running = await startSlackBot(fake);
    const events = closeBurst();
    expect(events).toHaveLength(2000);
    await postInBatches(running.url, events, 20, 4);
    await running.bot.idle();
    expect(running.bot.store.stats().events).toBe(2000);
    // the last version of the digest is built at most a second after the last event (throttled), then paced
    await eventually(() => {
      expect(running!.slack.status().outbox).toBe(0);
      expect(fake!.posts(MANUAL).length).toBeGreaterThan(60);
      expect(JSON.stringify([...fake!.messages.values()].find((m) => m.text.includes('Campaign digest'))?.blocks)).toMatch(EVENTS_1999);
    }, 10_000);

    // the campaign's channel: the close card, the digest and its detail replies
    const posts = fake.posts(CERT);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    expect(posts.length).toBeLessThanOrEqual(9);
    // the work queue's channel: the manual-remediation digest, and every one of the 60 SKIPPED items as its
    // own task card with its buttons (issue 11: a task nobody can press is no task)
    const manual = fake.posts(MANUAL);
    const taskIds = manual.flatMap((p) => /"value":"(item:[^"]+)"/.exec(JSON.stringify(p.body))?.[1] ?? []);
    expect(new Set(taskIds).size).toBe(60);
    expect(taskIds).toHaveLength(60);
    expect(manual).toHaveLength(61);

    // the digest is one message, edited in place as the burst went on, its final version complete
    const digest = [...fake.messages.values()].find((m) => m.text.includes('Campaign digest'))!;
    expect(digest.channel).toBe(CERT);
    expect(digest.edits).toBeGreaterThan(0);
    const shown = JSON.stringify(digest.blocks);
    expect(shown).toMatch(EVENTS_1999);
    expect(shown).toContain('Revoked (50)');
    expect(shown).toContain('NORESPONSE 950');
    const replies = [...fake.messages.values()].filter((m) => m.threadTs === digest.ts);
    expect(replies.length).toBeGreaterThanOrEqual(1);

    // paced: never two calls on one channel closer than the interval; no Retry-After ignored
    for (const channel of [CERT, MANUAL]) {
      const times = fake.writeCalls(channel).map((c) => c.at).sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      if (gaps.length > 0) expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FAST.pacing!.intervalMs! - 5);
    }
    expect(fake.violations).toBe(0);
  });
});
