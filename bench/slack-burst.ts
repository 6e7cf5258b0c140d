import { FakeSlack } from '../test/helpers/fake-slack.ts';
import { burstCli, runBurst, type BurstResult } from './burst.ts';

/**
 * Campaign-close burst into Slack (SPEC §8; bench/burst.ts runs it). The fake Slack Web API answers every
 * 25th write with 429 + Retry-After: 1 and any write faster than one per second per channel with 429 too.
 *
 *   maxPerSecondPerChannel  the most write calls (chat.postMessage + chat.update, accepted or not) one
 *                           channel received within any 1-second window
 *   unhandled429            calls made to a channel before the Retry-After of its last 429 had run out
 *
 * Run alone: `npx tsx bench/slack-burst.ts [events] [seconds]` prints one JSON line.
 */
const CHANNELS = { cert: 'C0BENCHCERT', manual: 'C0BENCHMANUAL' };

export async function benchSlackBurst(opts: { events?: number; seconds?: number } = {}): Promise<BurstResult> {
  const fake = await FakeSlack.start();
  fake.rateLimitEvery(25, 1);
  fake.enforcePace(1000, 1);
  return runBurst(
    {
      env: {
        SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789', SLACK_API_URL: fake.url,
        SLACK_CHANNEL: CHANNELS.cert, SLACK_CHANNEL_MANUAL: CHANNELS.manual,
      },
      calls: () =>
        fake.writeCalls().flatMap((c) =>
          c.channel ? [{ channel: c.channel, at: c.at, kind: c.method === 'chat.update' ? ('edit' as const) : ('post' as const), accepted: c.status === 200 && !c.error, status: c.status }] : [],
        ),
      violations: () => fake.violations,
      close: () => fake.close(),
    },
    opts,
  );
}

burstCli(import.meta.url, benchSlackBurst);
