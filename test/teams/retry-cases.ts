/**
 * The cases of a Teams retry (the same activity id sent again), shared by one bot (activity-retries.test.ts)
 * and two replicas on one database (activity-retries-replicas.test.ts), where the retry reaches the other
 * replica: a retry of a turn that acted does not act again, one that comes while the first turn runs waits
 * for it, and one of a turn that failed acts, whether it came during or after it.
 */
import { expect, it } from 'vitest';
import type { FakeTeams } from '../helpers/fake-teams.ts';
import { eventually } from '../helpers/start-bot.ts';
import { ALICE, personalMessage, postActivity } from '../helpers/teams-activities.ts';

export interface RetrySetup {
  teams: FakeTeams;
  /** where the first delivery goes */
  first: string;
  /** where Teams' retry goes */
  retry: string;
}

export function retryCases(setup: () => RetrySetup): void {
  /** `oig help` in the personal chat: the turn replies through the connector */
  const help = () => personalMessage({ serviceUrl: setup().teams.url, text: 'oig help', from: ALICE });
  const replies = () => setup().teams.sent().filter((s) => s.kind === 'reply' || s.kind === 'send');

  it('a retry of a turn that acted is answered 200 without acting again; another activity acts', async () => {
    const { first, retry } = setup();
    const activity = help();
    expect((await postActivity(first, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect(JSON.stringify(replies()[0]!.activity)).toContain('oig subscribe');
    expect((await postActivity(retry, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect((await postActivity(retry, help())).status).toBe(200);
    expect(replies()).toHaveLength(2);
  });

  it('a turn whose reply failed is not remembered: the retry acts, a retry after that does not', async () => {
    const { teams, first, retry } = setup();
    const activity = help();
    // 503 four times: the connector client's own three retries fail too, so the turn fails
    teams.failNext(4, { status: 503, retryAfter: 0 });
    expect((await postActivity(first, activity)).status).toBe(500);
    expect(replies()).toHaveLength(0);
    expect((await postActivity(retry, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect((await postActivity(first, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
  });

  it('a retry that arrives while the first turn still runs waits for it and does not act again', async () => {
    const { teams, first, retry } = setup();
    const activity = help();
    // the first reply takes ~2 s: the connector answers 429 with Retry-After 1 twice before accepting it
    teams.failNext(2, { status: 429, retryAfter: 1 });
    const calls = teams.requests.length;
    const firstTurn = postActivity(first, activity);
    // Teams sends the retry once the first turn is under way (it has called the connector)
    await eventually(() => expect(teams.requests.length).toBeGreaterThan(calls));
    const again = await postActivity(retry, activity);
    expect((await firstTurn).status).toBe(200);
    expect(again.status).toBe(200);
    expect(replies()).toHaveLength(1);
  });

  it('a retry waiting for a first turn that then fails is the one that acts', async () => {
    const { teams, first, retry } = setup();
    const activity = help();
    // the first turn's reply fails after ~3 s (four 429s with Retry-After 1: the client's retries included)
    teams.failNext(4, { status: 429, retryAfter: 1 });
    const calls = teams.requests.length;
    const firstTurn = postActivity(first, activity);
    // Teams sends the retry once the first turn is under way (it has called the connector)
    await eventually(() => expect(teams.requests.length).toBeGreaterThan(calls));
    const again = postActivity(retry, activity);
    expect((await firstTurn).status).toBe(500);
    expect((await again).status).toBe(200);
    expect(replies()).toHaveLength(1);
  });
}
