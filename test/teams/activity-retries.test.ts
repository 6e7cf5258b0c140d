/**
 * Teams retries an activity it got no good answer to, with the same id (issue 11): a retry of a turn that
 * acted is answered without acting twice; a retry of a turn that failed acts; a retry that comes while the
 * first turn still runs waits for it. The real Teams adapter (botbuilder, auth disabled) against the fake
 * connector, which fails the bot's reply the way Teams does. The cases are in retry-cases.ts.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { retryCases } from './retry-cases.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

let teams: FakeTeams;
let running: TeamsBot;

beforeEach(async () => {
  teams = await FakeTeams.start();
  running = await startTeamsBot();
});
afterEach(async () => {
  await running.stop(true);
  await teams.close();
});

describe('Teams retries of one activity', () => {
  retryCases(() => ({ teams, first: running.url, retry: running.url }));
});
