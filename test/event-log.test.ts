import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { cardLog, eventLog } from '../src/event-log.ts';
import { FakeSlack } from './helpers/fake-slack.ts';
import { decideEvent, envelope } from './helpers/okta-events.ts';
import { eventually, postHook } from './helpers/start-bot.ts';
import { CERT, startSlackBot, type SlackBot } from './slack/slack-bot.ts';

/**
 * One event's journey in the logs (issue 14 §7, src/event-log.ts): at LOG_LEVEL=debug every step from the
 * hook to Slack's answer logs through a child logger bound to the event's Okta uuid, so grepping the uuid
 * follows it; at info none of those per-event lines is written.
 */
let fake: FakeSlack | undefined;
let running: SlackBot | undefined;
afterEach(async () => {
  await running?.stop(true);
  await fake?.close();
  running = undefined;
  fake = undefined;
});

/** a logger at `level` keeping every JSON line it writes, as text (what `grep` would read) */
function capture(level: string): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = pino({ level }, { write: (s: string) => void lines.push(s) });
  return { log, lines };
}

async function deliverOne(level: string): Promise<{ uuid: string; lines: string[] }> {
  fake = await FakeSlack.start();
  const { log, lines } = capture(level);
  running = await startSlackBot(fake, { log });
  const uuid = randomUUID();
  const event = decideEvent({ uuid, decision: 'REVOKE', item: 'iciiJourney01' });
  expect((await postHook(running.url, envelope([event]))).status).toBe(200);
  await eventually(() => expect(fake!.posts(CERT)).toHaveLength(1), 5000);
  // the loop logs Slack's answer right after it arrives
  await running.bot.idle();
  return { uuid, lines };
}

describe('an event followed through the logs', () => {
  it('at debug, its uuid is on the lines of its intake, routing, queueing and the post to Slack', async () => {
    const { uuid, lines } = await deliverOne('debug');
    await eventually(() => expect(lines.some((l) => l.includes('"card delivered (slack)"') && l.includes(uuid))).toBe(true));
    const journey = lines.filter((l) => l.includes(uuid)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(journey.map((l) => l.msg)).toEqual(['event stored', 'event routed', 'card queued for slack', 'card delivered (slack)']);
    // each one a child logger's line: the id as the `event` binding, with the Okta event type or the card
    expect(journey.every((l) => l.event === uuid)).toBe(true);
    expect(journey[0]).toMatchObject({ type: 'certification.campaign.item.decide', source: 'hook', seq: 1 });
    expect(journey[1]).toMatchObject({ type: 'certification.campaign.item.decide', cards: ['decision'] });
    expect(journey[2]).toMatchObject({ card: 'decision', channels: [CERT], component: 'slack' });
    expect(journey[3]).toMatchObject({ card: 'decision', channel: CERT, method: 'chat.postMessage', component: 'slack' });
  });

  it('at info, no per-event line is written (the hook path stays as fast as before)', async () => {
    const { uuid, lines } = await deliverOne('info');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(uuid))).toEqual([]);
  });
});

describe('child loggers', () => {
  it('bind an event\'s id and type, and a card\'s events: the first 20 of a digest and how many more', () => {
    const { log, lines } = capture('debug');
    eventLog(log, { id: 'asa:evt-1', type: 'user_created' }).debug('x');
    cardLog(log, { kind: 'decision', eventIds: ['e-1'] }).debug('one');
    const ids = Array.from({ length: 1000 }, (_, i) => `e-${i}`);
    cardLog(log, { kind: 'digest', eventIds: ids }).debug('many');
    const [a, b, c] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ event: 'asa:evt-1', type: 'user_created' });
    expect(b).toMatchObject({ event: 'e-1', card: 'decision' });
    expect(c).toMatchObject({ events: ids.slice(0, 20), moreEvents: 980, card: 'digest' });
  });
});
