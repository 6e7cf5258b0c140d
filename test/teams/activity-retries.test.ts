/**
 * Teams retries an activity it got no good answer to, with the same id (issue 11): a retry of a turn that
 * acted is answered without acting twice; a retry of a turn that failed acts; a retry that comes while the
 * first turn still runs waits for it. The real Teams adapter (botbuilder, auth disabled) against the fake
 * connector, which fails the bot's reply the way Teams does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { ALICE, personalMessage, postActivity } from '../helpers/teams-activities.ts';
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

/** `oig help` in the personal chat: the turn replies through the connector */
const help = () => personalMessage({ serviceUrl: teams.url, text: 'oig help', from: ALICE });
const replies = () => teams.sent().filter((s) => s.kind === 'reply' || s.kind === 'send');

describe('Teams retries of one activity', () => {
  it('a turn whose reply failed is not remembered: the retry acts, a retry after that does not', async () => {
    const activity = help();
    // 503 four times: the connector client's own three retries fail too, so the turn fails
    teams.failNext(4, { status: 503, retryAfter: 0 });
    const failed = await postActivity(running.url, activity);
    expect(failed.status).toBe(500);
    expect(replies()).toHaveLength(0);

    const retry = await postActivity(running.url, activity);
    expect(retry.status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect(JSON.stringify(replies()[0]!.activity)).toContain('oig subscribe');

    const again = await postActivity(running.url, activity);
    expect(again.status).toBe(200);
    expect(replies()).toHaveLength(1);
  });

  it('a retry that arrives while the first turn still runs waits for it and does not act again', async () => {
    const activity = help();
    // the first reply takes ~2 s: the connector answers 429 with Retry-After 1 twice before accepting it
    teams.failNext(2, { status: 429, retryAfter: 1 });
    const first = postActivity(running.url, activity);
    await new Promise((r) => setTimeout(r, 300));
    const retry = await postActivity(running.url, activity);
    expect((await first).status).toBe(200);
    expect(retry.status).toBe(200);
    expect(replies()).toHaveLength(1);
  });

  it('a retry waiting for a first turn that then fails is the one that acts', async () => {
    const activity = help();
    // the first turn's reply fails after ~3 s (four 429s with Retry-After 1: the client's retries included)
    teams.failNext(4, { status: 429, retryAfter: 1 });
    const first = postActivity(running.url, activity);
    await new Promise((r) => setTimeout(r, 300));
    const retry = postActivity(running.url, activity);
    expect((await first).status).toBe(500);
    expect((await retry).status).toBe(200);
    expect(replies()).toHaveLength(1);
  });
});
