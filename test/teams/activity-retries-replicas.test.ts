/**
 * Teams retries an activity with the same id, and behind a load balancer the retry may reach another
 * replica (issue 13 §2: presses and commands work on any replica, with the same answers). Two bots
 * composed as `npm start` does on one PostgreSQL database, the real Teams adapter against the fake
 * connector: the cases of one bot (retry-cases.ts) with the retry sent to the other replica, and a takeover
 * from a replica that died mid-turn.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { ALICE, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { retryCases } from './retry-cases.ts';
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

  retryCases(() => ({ teams, first: a.url, retry: b.url }));

  it('takes over the claim of a replica that died mid-turn (a running claim over a minute old)', async () => {
    const activity = personalMessage({ serviceUrl: teams.url, text: 'oig help', from: ALICE });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const key = `${activity.conversation.id}|${activity.id}`;
      await client.query("INSERT INTO teams_activities (key, state, at) VALUES ($1, 'running', now() - interval '2 minutes')", [key]);
      expect((await postActivity(b.url, activity)).status).toBe(200);
      expect(teams.sent().filter((s) => s.kind === 'reply' || s.kind === 'send')).toHaveLength(1);
      expect((await client.query('SELECT state FROM teams_activities WHERE key = $1', [key])).rows).toEqual([{ state: 'acted' }]);
    } finally {
      await client.end();
    }
  });
});
