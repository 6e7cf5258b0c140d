import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import type { LogEvent } from '../src/okta/log-event.ts';
import { FakeSlack, type SlackCall } from '../test/helpers/fake-slack.ts';
import { campaignEvent, decideEvent, envelope, remediateEvent } from '../test/helpers/okta-events.ts';
import { round } from './stats.ts';

/**
 * Campaign-close burst (SPEC §8: 10k events in 60 s, every event stored, ≤ 1 message per second per
 * channel, no unhandled 429). A real Bot wired with the real Slack adapter (production pacing) against the
 * fake Slack Web API, which answers every 25th write with 429 + Retry-After: 1 and any write faster than one
 * per second per channel with 429 too. The events are what Okta sends when a campaign closes: a decision
 * per item (NORESPONSE, some REVOKE), then a remediation per item (some SKIPPED), posted as hook deliveries
 * of 20 spread evenly over `seconds`. Measured until the Slack outbox is empty.
 *
 *   maxPerSecondPerChannel  the most write calls (chat.postMessage + chat.update, accepted or not) one
 *                           channel received within any 1-second window
 *   unhandled429            calls made to a channel before the Retry-After of its last 429 had run out
 *
 * Run alone: `npx tsx bench/slack-burst.ts [events] [seconds]` prints one JSON line.
 */
export interface SlackBurstResult {
  events: number;
  stored: number;
  /** chat.postMessage calls Slack accepted */
  messages: number;
  /** chat.update calls Slack accepted (digest and status edits) */
  updates: number;
  maxPerSecondPerChannel: number;
  /** 429 answers the fake gave */
  rateLimited: number;
  unhandled429: number;
  /** cards Slack refused for good (should be 0) */
  dropped: number;
  /** from the first delivery until the outbox was empty */
  seconds: number;
}

const BATCH = 20;
const CHANNELS = { cert: 'C0BENCHCERT', manual: 'C0BENCHMANUAL' };

function closeBurst(events: number): LogEvent[] {
  const campaign = { id: 'icibenchQ4Close0001', name: 'Q4 close burst' };
  const items = Math.floor((events - 1) / 2);
  const who = (i: number) => ({ id: `00ub${String(i).padStart(16, '0')}`, name: `User ${i}`, login: `user${i}@example.com` });
  const item = (i: number) => `iciib${String(i).padStart(15, '0')}`;
  const decision = (i: number) => (i % 33 === 0 ? 'REVOKE' : 'NORESPONSE');
  const out: LogEvent[] = [campaignEvent('close', { campaign })];
  for (let i = 0; i < items; i++) out.push(decideEvent({ campaign, item: item(i), principal: who(i), decision: decision(i) }));
  for (let i = 0; out.length < events; i++) {
    const n = i % items;
    out.push(remediateEvent({ campaign, item: item(n), principal: who(n), decision: decision(n), outcome: n % 20 === 0 ? 'SKIPPED' : 'SUCCESS' }));
  }
  return out;
}

/** the most calls within any 1000 ms window, per channel, over all channels */
function maxPerSecond(calls: readonly SlackCall[]): number {
  const byChannel = new Map<string, number[]>();
  for (const c of calls) {
    if (!c.channel) continue;
    const times = byChannel.get(c.channel) ?? [];
    times.push(c.at);
    byChannel.set(c.channel, times);
  }
  let max = 0;
  for (const times of byChannel.values()) {
    times.sort((a, b) => a - b);
    let from = 0;
    for (let to = 0; to < times.length; to++) {
      while (times[to]! - times[from]! >= 1000) from++;
      max = Math.max(max, to - from + 1);
    }
  }
  return max;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function benchSlackBurst(opts: { events?: number; seconds?: number } = {}): Promise<SlackBurstResult> {
  const events = opts.events ?? 10_000;
  const seconds = opts.seconds ?? 60;
  const fake = await FakeSlack.start();
  fake.rateLimitEvery(25, 1);
  fake.enforcePace(1000, 1);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-slack-'));
  const log = pino({ level: 'silent' });
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: 'bench-slack-burst-secret-0123456789',
    SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789', SLACK_API_URL: fake.url,
    SLACK_CHANNEL: CHANNELS.cert, SLACK_CHANNEL_MANUAL: CHANNELS.manual,
  });
  const app = await composeBot(config, { hookSecret: config.hook.secret!, log, followUp: false });
  const { bot } = app;
  const slack = app.slack!;
  try {
    const port = await app.start();
    const all = closeBurst(events);
    const bodies: string[] = [];
    for (let i = 0; i < all.length; i += BATCH) bodies.push(JSON.stringify(envelope(all.slice(i, i + BATCH))));
    const gap = (seconds * 1000) / bodies.length;
    const url = `http://127.0.0.1:${port}/okta/hooks`;
    const started = performance.now();
    const sent: Array<Promise<number>> = [];
    for (const [k, body] of bodies.entries()) {
      await sleep(started + k * gap - performance.now());
      sent.push(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: config.hook.secret! }, body }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }));
    }
    const statuses = await Promise.all(sent);
    if (statuses.some((s) => s !== 200)) throw new Error(`hook deliveries refused: ${statuses.filter((s) => s !== 200).length}`);
    await bot.idle();
    const deadline = Date.now() + 300_000;
    while (slack.status().outbox > 0 && Date.now() < deadline) await sleep(100);
    const took = (performance.now() - started) / 1000;
    const writes = fake.writeCalls();
    return {
      events,
      stored: bot.store.stats().events,
      messages: fake.posts().length,
      updates: fake.updates().length,
      maxPerSecondPerChannel: maxPerSecond(writes),
      rateLimited: writes.filter((c) => c.status === 429).length,
      unhandled429: fake.violations,
      dropped: slack.deliveryErrors().filter((p) => p.scope === 'card').length,
      seconds: round(took, 1),
    };
  } finally {
    await bot.idle();
    await app.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [events, seconds] = process.argv.slice(2).map(Number);
  benchSlackBurst({ ...(events ? { events } : {}), ...(seconds ? { seconds } : {}) }).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
