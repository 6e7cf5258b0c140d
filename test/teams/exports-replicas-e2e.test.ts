/**
 * Issue 13 §2, "any replica", for Teams exports: two bots composed as `npm start` does (src/compose.ts)
 * on one PostgreSQL database, each with its own DATA_DIR as on hosts without a shared disk, behind what
 * would be one load balancer. `oig export` asked of one replica gives a link the other serves, and a
 * channel answer's view id is turned into the link by the other replica for the asker only.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { FakeTeams, type SentActivity } from '../helpers/fake-teams.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { postHook } from '../helpers/start-bot.ts';
import { ALICE, BOB, TEAM_ID, adaptiveCardAction, channelMessage, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

interface Card {
  actions?: Array<{ type: string; url?: string }>;
  refresh?: { action: { verb: string; data: Record<string, unknown> } };
}

const cardOf = (s: SentActivity): Card => s.activity.attachments?.[0]?.content as Card;
const textOf = (v: unknown): string => JSON.stringify(v);

describePg('Teams exports on two replicas sharing PostgreSQL', () => {
  let db: FreshDatabase;
  let teams: FakeTeams;
  const running: TeamsBot[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    teams = await FakeTeams.start();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop(true);
    await teams.close();
  });

  it('a link made on one replica downloads from the other; the channel view resolves there for the asker only', async () => {
    const a = await startTeamsBot({ env: { DATABASE_URL: db.url } });
    running.push(a);
    const b = await startTeamsBot({ env: { DATABASE_URL: db.url } });
    running.push(b);
    expect(await postHook(a.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiReplicaX1' })]))).toMatchObject({ status: 200 });
    await a.bot.idle();

    await postActivity(a.url, personalMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
    const link = cardOf(teams.sent().at(-1)!).actions!.find((x) => x.type === 'Action.OpenUrl')!.url!;
    expect(link.startsWith(`${a.url}/teams/exports?token=`)).toBe(true);
    // the load balancer sends the download to the other replica
    const onB = await fetch(link.replace(a.url, b.url));
    expect(onB.status).toBe(200);
    const csv = await onB.text();
    expect(csv.split('\r\n')[0]).toContain('principal');
    expect(csv).toContain('Jane Doe');
    expect((await fetch(link.replace(a.url, b.url), { method: 'HEAD' })).status).toBe(200);

    // in a channel the message carries a view id; the asker's client asks a replica (here the other) for it
    await postActivity(a.url, channelMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
    const placeholder = cardOf(teams.sent().at(-1)!);
    expect(textOf(placeholder)).not.toContain('/teams/exports');
    const data = placeholder.refresh!.action.data;
    const asBob = await postActivity(b.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: BOB, verb: 'oig_answer', data }));
    expect(textOf(asBob.body)).not.toContain('/teams/exports');
    const forged = await postActivity(b.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: BOB, verb: 'oig_answer', data: { ...data, asker: BOB.id } }));
    expect(textOf(forged.body)).not.toContain('/teams/exports');
    const view = await postActivity(b.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data }));
    const channelLink = /"url":"([^"]+)"/.exec(textOf(view.body))![1]!;
    expect(channelLink.startsWith(`${b.url}/teams/exports?token=`)).toBe(true);
    const fromA = await fetch(channelLink.replace(b.url, a.url));
    expect(fromA.status).toBe(200);
    expect(await fromA.text()).toContain('Jane Doe');
  });

  it('when the database refuses the export, the asker is told so and what to do, in a message and in the channel view', async () => {
    const a = await startTeamsBot({ env: { DATABASE_URL: db.url } });
    running.push(a);
    await postActivity(a.url, channelMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
    const data = cardOf(teams.sent().at(-1)!).refresh!.action.data;
    const link = /"url":"([^"]+)"/.exec(textOf((await postActivity(a.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data }))).body))![1]!;

    // only the export table fails; the rest of the bot's state stays usable
    const sql = async (q: string) => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query(q).finally(() => c.end());
    };
    await sql('ALTER TABLE csv_exports RENAME TO csv_exports_away');
    try {
      const said = "the database (the bot's log says why). Try again in a moment.";
      await postActivity(a.url, personalMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
      expect(textOf(teams.sent().at(-1)!.activity)).toContain(`The export could not be stored in ${said}`);
      const view = await postActivity(a.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data }));
      expect(view.status).toBe(200);
      expect(textOf(view.body)).toContain(`The export could not be read from ${said}`);
      const res = await fetch(link);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'EXPORTS_UNAVAILABLE' });
    } finally {
      await sql('ALTER TABLE csv_exports_away RENAME TO csv_exports');
    }
    expect((await fetch(link)).status).toBe(200);
  });
});
