import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { accessReviewEvent, decideEvent, envelope } from '../helpers/okta-events.ts';
import { postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { capturingLogger, startSlackBot, type SlackBot } from './slack-bot.ts';

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

describe('Slack transports and routing', () => {
  it('uses Socket Mode when SLACK_APP_TOKEN is set: no /slack/events route, delivery still works', async () => {
    const { log, lines } = capturingLogger();
    running = await startSlackBot(fake, { env: { SLACK_APP_TOKEN: 'xapp-1-A0OIG-0000-fake' }, log });
    expect(running.slack.status().mode).toBe('socket');
    expect((await postSlashCommand(running.url, 'help')).status).toBe(404);
    // Socket Mode asked the (fake) API for a WebSocket URL through SLACK_API_URL; refused, it says so
    await eventually(() => expect(fake.calls.some((c) => c.method === 'apps.connections.open')).toBe(true));
    await eventually(() => expect(lines.some((l) => String(l.msg).includes('Socket Mode could not connect'))).toBe(true));
    await postHook(running.url, envelope([decideEvent()]));
    await eventually(() => expect(fake.posts()).toHaveLength(1));
  });

  it('uses HTTP with the signing secret, and learns who it is from auth.test', async () => {
    running = await startSlackBot(fake);
    expect(running.slack.status()).toMatchObject({ mode: 'http', identity: { botUserId: 'U0BOT', team: 'Fake Team' } });
    expect((await postSlashCommand(running.url, 'help')).status).toBe(200);
  });

  it('does not post cards of a family without a channel, and says so once', async () => {
    const { log, lines } = capturingLogger();
    // SLACK_CHANNEL unset: only the families with their own variable have a channel
    running = await startSlackBot(fake, { env: { SLACK_CHANNEL: '', SLACK_CHANNEL_CERTIFICATION: 'C0CERT0001' }, log });
    await postHook(running.url, envelope([accessReviewEvent('action'), accessReviewEvent('close')]));
    await postHook(running.url, envelope([decideEvent()]));
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    await running.bot.idle();
    expect(fake.posts()[0]!.channel).toBe('C0CERT0001');
    expect(lines.filter((l) => String(l.msg).includes('no Slack channel for ACCESS_REVIEW'))).toHaveLength(1);
    // Slack answered before the outbox forgets the card (the message reference is written first)
    await eventually(() => expect(running!.slack.status().outbox).toBe(0));
  });
});
