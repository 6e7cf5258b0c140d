/**
 * The Home tab with two replicas on one PostgreSQL database (issue 13's "any replica"): Alice opens her
 * Home tab through one replica; Bob's press on the task card reaches the other. The replica that changed
 * the task refreshes Alice's view, because who has the tab open is kept in the database
 * (slack-home-viewers), not in the memory of the replica that saw app_home_opened.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { postSlack } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { clickBody } from '../followup/task-bot.ts';
import { homeOf, openHome, wordsOf } from './app-home-helpers.ts';
import { startSlackBot, type SlackBot } from './slack-bot.ts';

describePg('Slack Home tab on two replicas sharing PostgreSQL', () => {
  let db: FreshDatabase;
  let fake: FakeSlack;
  const running: SlackBot[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    fake = await FakeSlack.start();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop(true);
    await fake.close();
  });

  it('a press on one replica refreshes the Home tab of someone who opened it on the other', async () => {
    const env = { DATABASE_URL: db.url, OIG_ALLOWED_USERS: 'U0ALICE, U0BOB' };
    const home = { settleMs: 150, intervalMs: 10 };
    const a = await startSlackBot(fake, { env, followUp: true, tuning: { home } });
    running.push(a);
    const b = await startSlackBot(fake, { env, followUp: true, tuning: { home } });
    running.push(b);
    const id = 'item:iciiReplHome1';
    await postHook(a.url, envelope([remediateEvent({ item: 'iciiReplHome1', outcome: 'SKIPPED', resource: APP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => expect(b.followUp!.queue.get(id)?.state).toBe('open'), 10_000);

    expect((await openHome(a.url, 'U0ALICE')).status).toBe(200);
    await eventually(() => expect(wordsOf(homeOf(fake, 'U0ALICE'))).toContain('Open: nobody has claimed it'));
    // a document written on one replica is seen by the other within about a second (state-store.ts)
    await new Promise((r) => setTimeout(r, 1500));

    const res = await postSlack(b.url, clickBody('oig_manual_claim', id, { user: 'U0BOB', responseUrl: fake.responseUrl() }));
    expect(res.status).toBe(200);
    await eventually(() => expect(b.followUp!.queue.get(id)?.state).toBe('claimed'));
    // only b's work queue saw the press: the refresh below is b's
    await eventually(() => expect(wordsOf(homeOf(fake, 'U0ALICE'))).toContain('Claimed by u0bob'), 5000);
    expect(fake.publishes('U0ALICE')).toHaveLength(2);
  }, 30_000);
});
