import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { accessRequestEvent, decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { capturingLogger, CERT, FAST, MANUAL, REQUESTS, startSlackBot, textOf, type SlackBot } from './slack-bot.ts';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outboxDir = (dataDir: string) => path.join(dataDir, 'state', 'slack-outbox');

describe('the Slack delivery queue loses nothing', () => {
  it('honours 429 Retry-After and then delivers the card', async () => {
    fake.rateLimitNext(1, 1);
    running = await startSlackBot(fake);
    await postHook(running.url, envelope([decideEvent()]));
    await eventually(() => expect(fake.posts()).toHaveLength(1), 5000);
    const [limited, accepted] = fake.writeCalls();
    expect(limited!.status).toBe(429);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(fake.violations).toBe(0);
    const metrics = await running.bot.metrics.registry.metrics();
    expect(metrics).toContain(`oig_slack_rate_limited_total{channel="${CERT}"} 1`);
  });

  it('keeps cards through a Slack outage and a restart, and posts them exactly once', async () => {
    running = await startSlackBot(fake);
    await fake.down('refuse');
    await postHook(running.url, envelope([decideEvent({ item: 'iciiOutage0001' })]));
    await running.bot.idle();
    await sleep(150); // a few failed attempts
    expect(running.slack.status().outbox).toBe(1);
    const dataDir = running.dataDir;
    await running.stop();
    await fake.up();
    running = await startSlackBot(fake, { dataDir });
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    await sleep(200);
    expect(fake.posts()).toHaveLength(1);
    await eventually(() => expect(running!.slack.status().outbox).toBe(0));
  });

  it('retries through HTTP 500s without a restart', async () => {
    running = await startSlackBot(fake);
    await fake.down('500');
    await postHook(running.url, envelope([decideEvent()]));
    await eventually(() => expect(fake.writeCalls().length).toBeGreaterThanOrEqual(2));
    expect(fake.posts()).toHaveLength(0);
    await fake.up();
    await eventually(() => expect(fake.posts()).toHaveLength(1));
  });

  it('does not post again when it stopped between Slack accepting a card and clearing the outbox', async () => {
    running = await startSlackBot(fake);
    await fake.down('500');
    await postHook(running.url, envelope([decideEvent({ item: 'iciiCrash00001' })]));
    await running.bot.idle();
    expect(running.slack.status().outbox).toBe(1);
    const stuck = `${running.dataDir}-stuck-outbox`;
    await cp(outboxDir(running.dataDir), stuck, { recursive: true });
    await fake.up();
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    await eventually(() => expect(running!.slack.status().outbox).toBe(0));
    const dataDir = running.dataDir;
    await running.stop();
    // as if the process died after the message reference was written but before the outbox was cleared
    await rm(outboxDir(dataDir), { recursive: true });
    await cp(stuck, outboxDir(dataDir), { recursive: true });
    running = await startSlackBot(fake, { dataDir });
    await eventually(() => expect(fake.updates()).toHaveLength(1));
    expect(fake.posts()).toHaveLength(1);
    expect(fake.updates()[0]!.body.ts).toBe(fake.posts()[0]!.body.ts ?? [...fake.messages.keys()][0]);
    await eventually(() => expect(running!.slack.status().outbox).toBe(0));
  });

  it('paces each channel to one call per interval', async () => {
    running = await startSlackBot(fake);
    const requests = Array.from({ length: 6 }, (_, i) => accessRequestEvent('create', { request: `reqPace${i}`, subject: `Request ${i}` }));
    await postHook(running.url, envelope(requests));
    await eventually(() => expect(fake.posts(REQUESTS)).toHaveLength(6));
    const times = fake.writeCalls(REQUESTS).map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FAST.pacing!.intervalMs! - 5);
  });

  it('coalesces successive versions of one message while it waits: only the latest is sent', async () => {
    running = await startSlackBot(fake);
    await fake.down('500');
    // both versions of the request card queue up while Slack is down (one delivery, so no send attempt can
    // fall between them: an item already being sent is never replaced, that would race the answer)
    await postHook(running.url, envelope([accessRequestEvent('create', { request: 'reqCoalesce1' }), accessRequestEvent('resolve', { request: 'reqCoalesce1' })]));
    await running.bot.idle();
    expect(running.slack.status().outbox).toBe(1);
    await fake.up();
    await eventually(() => expect(fake.posts(REQUESTS)).toHaveLength(1));
    await sleep(150);
    expect(fake.updates()).toHaveLength(0);
    expect(textOf(fake.posts(REQUESTS)[0]!.body)).toContain('Resolved (approved)');
  });

  it('parks a channel that refuses the bot, says once what to fix, keeps its cards and delivers them once fixed', async () => {
    const { log, lines } = capturingLogger();
    fake.failChannel(CERT, 'not_in_channel');
    running = await startSlackBot(fake, { log });
    const item = 'iciiParked0001';
    await postHook(running.url, envelope([decideEvent({ item }), remediateEvent({ item, outcome: 'SKIPPED' })]));
    // the MANUAL channel is not held up by the parked certification channel
    await eventually(() => expect(fake.posts(MANUAL)).toHaveLength(1));
    await eventually(() => expect(running!.slack.deliveryErrors()).toHaveLength(1));
    const [problem] = running.slack.deliveryErrors();
    expect(problem).toMatchObject({ scope: 'channel', code: 'not_in_channel', channel: CERT });
    expect(problem!.fix).toContain('/invite');
    expect(await running.bot.metrics.registry.getSingleMetricAsString('oig_slack_delivery_problems')).toContain('oig_slack_delivery_problems 1');
    await sleep(700); // two probes after parkMs (300 ms)
    expect(lines.filter((l) => String(l.msg).includes('Slack delivery blocked'))).toHaveLength(1);
    expect(running.slack.status().outbox).toBeGreaterThan(0);
    fake.clearChannel(CERT);
    await eventually(() => expect(fake.posts(CERT).length).toBeGreaterThanOrEqual(1), 3000);
    await eventually(() => expect(running!.slack.deliveryErrors()).toEqual([]));
  });

  it('stops calling Slack while the token is refused and shows why', async () => {
    fake.failToken('invalid_auth');
    running = await startSlackBot(fake);
    await postHook(running.url, envelope([decideEvent()]));
    await eventually(() => expect(running!.slack.deliveryErrors()[0]).toMatchObject({ scope: 'token', code: 'invalid_auth' }));
    expect(running.slack.deliveryErrors()[0]!.fix).toContain('SLACK_BOT_TOKEN');
    const before = fake.writeCalls().length;
    await sleep(150); // shorter than parkMs: no further attempts
    expect(fake.writeCalls().length).toBe(before);
    fake.failToken(undefined);
    await eventually(() => expect(fake.posts()).toHaveLength(1), 3000);
  });

  it('sends a card Slack refuses as blocks once more as plain text; refused again, it is dropped and shown', async () => {
    running = await startSlackBot(fake);
    fake.refuseNext('invalid_blocks');
    await postHook(running.url, envelope([decideEvent({ item: 'iciiPlain00001' })]));
    await eventually(() => expect(fake.posts()).toHaveLength(1));
    expect(fake.posts()[0]!.body.blocks).toBeUndefined();
    expect(String(fake.posts()[0]!.body.text)).toContain('Access revoked');

    fake.refuseNext('invalid_blocks', 2);
    await postHook(running.url, envelope([decideEvent({ item: 'iciiPlain00002' })]));
    await eventually(() => expect(running!.slack.deliveryErrors()).toHaveLength(1));
    expect(running.slack.deliveryErrors()[0]).toMatchObject({ scope: 'card', code: 'invalid_blocks' });
    expect(fake.posts()).toHaveLength(1);
    await eventually(() => expect(running!.slack.status().outbox).toBe(0));
    expect(await running.bot.metrics.registry.getSingleMetricAsString('oig_cards_failed_total')).toContain('sink="slack"} 1');
  });
});
