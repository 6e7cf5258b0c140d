import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import { FakeSlack } from '../test/helpers/fake-slack.ts';
import { drained, maxPerSecond, postBurst, type BurstResult } from './burst.ts';
import { round } from './stats.ts';

/**
 * Campaign-close burst into Slack (SPEC §8; the shared part is bench/burst.ts). A real Bot wired with the
 * real Slack adapter (production pacing) against the fake Slack Web API, which answers every 25th write
 * with 429 + Retry-After: 1 and any write faster than one per second per channel with 429 too. Measured
 * until the Slack outbox is empty.
 *
 *   maxPerSecondPerChannel  the most write calls (chat.postMessage + chat.update, accepted or not) one
 *                           channel received within any 1-second window
 *   unhandled429            calls made to a channel before the Retry-After of its last 429 had run out
 *
 * Run alone: `npx tsx bench/slack-burst.ts [events] [seconds]` prints one JSON line.
 */
export type SlackBurstResult = BurstResult;

const CHANNELS = { cert: 'C0BENCHCERT', manual: 'C0BENCHMANUAL' };

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
    const started = await postBurst(`http://127.0.0.1:${port}`, config.hook.secret!, events, seconds);
    await bot.idle();
    await drained(() => slack.status().outbox);
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
