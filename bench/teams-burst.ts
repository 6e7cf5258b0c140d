import { baseConversation, FakeTeams } from '../test/helpers/fake-teams.ts';
import { ALICE, TEAM_ID, botAddedToTeam, channelMessage, postActivity } from '../test/helpers/teams-activities.ts';
import { burstCli, runBurst, type BurstResult } from './burst.ts';

/**
 * Campaign-close burst into Teams (SPEC §8; bench/burst.ts runs it). The real Teams adapter (botbuilder's
 * CloudAdapter) against the fake Bot Framework Connector, which answers every 25th activity call with
 * 429 + Retry-After: 1. Two subscribed channels, as the Slack run has two: the team's General channel takes
 * certification cards, another the manual tasks.
 *
 *   maxPerSecondPerChannel  the most activity calls (posts, replies, edits, accepted or not) one channel,
 *                           threads included, received within any 1-second window
 *   unhandled429            calls made to a channel before the Retry-After of its last 429 had run out
 *
 * Run alone: `npx tsx bench/teams-burst.ts [events] [seconds]` prints one JSON line.
 */
const MANUAL_CHANNEL = '19:benchmanualtasks@thread.tacv2';

export async function benchTeamsBurst(opts: { events?: number; seconds?: number } = {}): Promise<BurstResult> {
  const fake = await FakeTeams.start();
  fake.rateLimitEvery(25, 1);
  let before = 0;
  return runBurst(
    {
      env: { TEAMS_DEV_NO_AUTH: '1', OIG_ALLOWED_USERS: ALICE.aadObjectId },
      async prepare(url) {
        await postActivity(url, botAddedToTeam({ serviceUrl: fake.url }));
        await postActivity(url, channelMessage({ serviceUrl: fake.url, text: 'oig subscribe certification', from: ALICE, conversationId: TEAM_ID }));
        await postActivity(url, channelMessage({ serviceUrl: fake.url, text: 'oig subscribe manual', from: ALICE, conversationId: MANUAL_CHANNEL }));
        before = fake.requests.length;
      },
      calls: () =>
        fake.requests
          .slice(before)
          .filter((r) => r.conversationId !== undefined && r.path.includes('/activities') && (r.method === 'POST' || r.method === 'PUT'))
          .map((r) => ({ channel: baseConversation(r.conversationId!), at: r.at, kind: r.method === 'PUT' ? ('edit' as const) : ('post' as const), accepted: r.status < 300, status: r.status })),
      violations: () => fake.violations,
      close: () => fake.close(),
    },
    opts,
  );
}

burstCli(import.meta.url, benchTeamsBurst);
