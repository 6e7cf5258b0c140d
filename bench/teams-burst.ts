import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import { baseConversation, FakeTeams } from '../test/helpers/fake-teams.ts';
import { ALICE, TEAM_ID, botAddedToTeam, channelMessage, postActivity } from '../test/helpers/teams-activities.ts';
import { drained, maxPerSecond, postBurst, type BurstResult } from './burst.ts';
import { round } from './stats.ts';

/**
 * Campaign-close burst into Teams (SPEC §8; the shared part is bench/burst.ts). A real Bot wired with the
 * real Teams adapter (botbuilder's CloudAdapter, production pacing) against the fake Bot Framework
 * Connector, which answers every 25th activity call with 429 + Retry-After: 1. Two subscribed channels, as
 * the Slack run has two: the team's General channel takes certification cards, another the manual tasks.
 * Measured until the Teams outbox is empty.
 *
 *   maxPerSecondPerChannel  the most activity calls (posts, replies, edits, accepted or not) one channel,
 *                           threads included, received within any 1-second window
 *   unhandled429            calls made to a channel before the Retry-After of its last 429 had run out
 *
 * Run alone: `npx tsx bench/teams-burst.ts [events] [seconds]` prints one JSON line.
 */
const MANUAL_CHANNEL = '19:benchmanualtasks@thread.tacv2';

export async function benchTeamsBurst(opts: { events?: number; seconds?: number } = {}): Promise<BurstResult> {
  const events = opts.events ?? 10_000;
  const seconds = opts.seconds ?? 60;
  const fake = await FakeTeams.start();
  fake.rateLimitEvery(25, 1);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-teams-'));
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: 'bench-teams-burst-secret-0123456789',
    TEAMS_DEV_NO_AUTH: '1', OIG_ALLOWED_USERS: ALICE.aadObjectId,
  });
  const app = await composeBot(config, { hookSecret: config.hook.secret!, log: pino({ level: 'silent' }), followUp: false });
  const { bot } = app;
  const teams = app.teams!;
  try {
    const url = `http://127.0.0.1:${await app.start()}`;
    await postActivity(url, botAddedToTeam({ serviceUrl: fake.url }));
    await postActivity(url, channelMessage({ serviceUrl: fake.url, text: 'oig subscribe certification', from: ALICE, conversationId: TEAM_ID }));
    await postActivity(url, channelMessage({ serviceUrl: fake.url, text: 'oig subscribe manual', from: ALICE, conversationId: MANUAL_CHANNEL }));
    const before = fake.requests.length;
    const started = await postBurst(url, config.hook.secret!, events, seconds);
    await bot.idle();
    await drained(() => teams.status().outbox);
    const took = (performance.now() - started) / 1000;
    const calls = fake.requests.slice(before).filter((r) => r.conversationId !== undefined && r.path.includes('/activities') && (r.method === 'POST' || r.method === 'PUT'));
    const accepted = calls.filter((r) => r.status < 300);
    return {
      events,
      stored: bot.store.stats().events,
      messages: accepted.filter((r) => r.method === 'POST').length,
      updates: accepted.filter((r) => r.method === 'PUT').length,
      maxPerSecondPerChannel: maxPerSecond(calls.map((r) => ({ channel: baseConversation(r.conversationId!), at: r.at }))),
      rateLimited: calls.filter((r) => r.status === 429).length,
      unhandled429: fake.violations,
      dropped: teams.deliveryErrors().filter((p) => p.scope === 'card').length,
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
  benchTeamsBurst({ ...(events ? { events } : {}), ...(seconds ? { seconds } : {}) }).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
