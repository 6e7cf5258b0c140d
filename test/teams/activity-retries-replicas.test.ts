/**
 * Teams retries an activity with the same id, and behind a load balancer the retry may reach another
 * replica (issue 13 §2: presses and commands work on any replica, with the same answers). Two bots
 * composed as `npm start` does on one PostgreSQL database, the real Teams adapter against the fake
 * connector: a retry on the other replica does not act again, waits while the first turn still runs, acts
 * when the first turn failed, and takes over from a replica that died mid-turn.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { ALICE, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

describePg('Teams retries across two replicas sharing PostgreSQL', () => {
  let db: FreshDatabase;
  let teams: FakeTeams;
  let a: TeamsBot;
  let b: TeamsBot;

  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    teams = await FakeTeams.start();
    a = await startTeamsBot({ env: { DATABASE_URL: db.url } });
    b = await startTeamsBot({ env: { DATABASE_URL: db.url } });
  });
  afterEach(async () => {
    await a.stop(true);
    await b.stop(true);
    await teams.close();
  });

  /** `oig help` in the personal chat: the turn replies through the connector */
  const help = () => personalMessage({ serviceUrl: teams.url, text: 'oig help', from: ALICE });
  const replies = () => teams.sent().filter((s) => s.kind === 'reply' || s.kind === 'send');

  it('a retry on the other replica of a turn that acted is answered 200 without acting again; another activity acts', async () => {
    const activity = help();
    expect((await postActivity(a.url, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect((await postActivity(b.url, activity)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect((await postActivity(b.url, help())).status).toBe(200);
    expect(replies()).toHaveLength(2);
  });

  it('a retry on the other replica while the first turn still runs waits for it and does not act again', async () => {
    const activity = help();
    // the first reply takes ~2 s: the connector answers 429 with Retry-After 1 twice before accepting it
    teams.failNext(2, { status: 429, retryAfter: 1 });
    const first = postActivity(a.url, activity);
    await new Promise((r) => setTimeout(r, 300));
    const retry = await postActivity(b.url, activity);
    expect((await first).status).toBe(200);
    expect(retry.status).toBe(200);
    expect(replies()).toHaveLength(1);
  });

  it('a retry on the other replica acts when the first turn failed, whether it came during or after it', async () => {
    const during = help();
    // the first turn's reply fails after ~3 s (four 429s with Retry-After 1: the client's retries included)
    teams.failNext(4, { status: 429, retryAfter: 1 });
    const first = postActivity(a.url, during);
    await new Promise((r) => setTimeout(r, 300));
    const retry = postActivity(b.url, during);
    expect((await first).status).toBe(500);
    expect((await retry).status).toBe(200);
    expect(replies()).toHaveLength(1);

    const after = help();
    teams.failNext(4, { status: 503, retryAfter: 0 });
    expect((await postActivity(a.url, after)).status).toBe(500);
    expect((await postActivity(b.url, after)).status).toBe(200);
    expect(replies()).toHaveLength(2);
  });

  it('takes over the claim of a replica that died mid-turn (a running claim over a minute old)', async () => {
    const activity = help();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const key = `${activity.conversation.id}|${activity.id}`;
      await client.query("INSERT INTO teams_activities (key, state, at) VALUES ($1, 'running', now() - interval '2 minutes')", [key]);
      expect((await postActivity(b.url, activity)).status).toBe(200);
      expect(replies()).toHaveLength(1);
      expect((await client.query('SELECT state FROM teams_activities WHERE key = $1', [key])).rows).toEqual([{ state: 'acted' }]);
    } finally {
      await client.end();
    }
  });
});
