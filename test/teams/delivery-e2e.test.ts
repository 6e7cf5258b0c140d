/**
 * Teams delivery when Teams pushes back: the real CloudAdapter (with its client's own retries) and the shared
 * paced delivery loop against a fake connector that answers 429, 503 and 403. Nothing is lost; Retry-After
 * is honoured per conversation; a channel the bot was removed from is parked, reported and kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, botAddedToTeam, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

let teams: FakeTeams;
let running: TeamsBot | undefined;

beforeEach(async () => {
  teams = await FakeTeams.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await teams.close();
});

const decisionCards = () => teams.sent().filter((s) => s.kind === 'send' && JSON.stringify(s.activity).includes('Access certification decision'));

async function subscribed(): Promise<TeamsBot> {
  const bot = await startTeamsBot();
  expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: teams.url }))).status).toBe(200);
  return bot;
}

describe('Teams delivery under pressure', () => {
  it('a 429 with Retry-After holds the conversation that long, then the same card is posted once', async () => {
    running = await subscribed();
    teams.failNext(1, { status: 429, retryAfter: 1 });
    const started = Date.now();
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiRate0001' })]));
    await eventually(() => expect(decisionCards()).toHaveLength(1), 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(teams.violations).toBe(0);
    const failed = teams.requests.filter((r) => r.status === 429);
    expect(failed).toHaveLength(1);
  });

  it('503s are retried (by the connector client, then the loop) and the card arrives once', async () => {
    running = await subscribed();
    teams.failNext(2, { status: 503 });
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiDown0001' })]));
    await eventually(() => expect(decisionCards()).toHaveLength(1), 5000);
    expect(teams.requests.filter((r) => r.status === 503)).toHaveLength(2);
  });

  it('a conversation that refuses the bot is parked and reported in oig stats; its cards are kept and posted once it works', async () => {
    running = await subscribed();
    teams.failConversation(TEAM_ID, { status: 403, code: 'BotNotInConversationRoster' });
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiBlock001' })]));
    await eventually(() => expect(running!.teams.status().problems.map((p) => p.code)).toEqual(['BotNotInConversationRoster']), 3000);
    expect(running.teams.status().outbox).toBe(1);

    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig stats', from: ALICE }));
    const stats = JSON.stringify(teams.sent().at(-1)!.activity);
    expect(stats).toContain('BotNotInConversationRoster');

    teams.clearConversation(TEAM_ID);
    // parked for 300 ms in tests (parkMs), then probed again
    await eventually(() => expect(decisionCards()).toHaveLength(1), 5000);
    // the bot sees Teams' answer a moment after the fake recorded it
    await eventually(() => {
      expect(running!.teams.status().problems).toEqual([]);
      expect(running!.teams.status().outbox).toBe(0);
    });
  });

  it('cards queued while Teams is down survive a restart', async () => {
    running = await subscribed();
    teams.failConversation(TEAM_ID, { status: 503 });
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiKeep0001' })]));
    await eventually(() => expect(running!.teams.status().outbox).toBe(1));
    const dataDir = running.dataDir;
    await running.stop();
    teams.clearConversation(TEAM_ID);
    running = await startTeamsBot({ dataDir });
    await eventually(() => expect(decisionCards()).toHaveLength(1), 5000);
  });
});
