/**
 * "Verify in Okta" from Teams: the same work queue and Okta checks as Slack (src/followup/verify-access.ts),
 * against the fake Okta API. The clicker gets the answer privately; the channel gets it in the task card's
 * thread, with "Mark done" when the access is gone. When Okta is slow, Teams is answered at once and the
 * thread gets the answer when it comes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { FakeTeams, type SentActivity } from '../helpers/fake-teams.ts';
import { APP, PRINCIPAL, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, adaptiveCardAction, botAddedToTeam, postActivity } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

let teams: FakeTeams;
let okta: FakeOkta;
let running: TeamsBot | undefined;

beforeEach(async () => {
  teams = await FakeTeams.start();
  okta = await FakeOkta.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await teams.close();
  await okta.close();
});

const env = () => ({ OIG_ALLOWED_USERS: ALICE.aadObjectId, ...okta.env() });

async function taskCard(item: string): Promise<SentActivity> {
  await postActivity(running!.url, botAddedToTeam({ serviceUrl: teams.url }));
  await postHook(running!.url, envelope([remediateEvent({ item, outcome: 'SKIPPED', resource: APP })]));
  return teams.waitFor((s) => s.kind === 'send' && JSON.stringify(s.activity).includes('oig_manual_verify'));
}

const verify = (item: string) =>
  postActivity(running!.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_manual_verify', data: { taskId: `item:${item}` } }));

describe('Verify in Okta from Teams', () => {
  it('answers the clicker privately and the channel in the card\'s thread', async () => {
    running = await startTeamsBot({ env: env() });
    okta.assignApp(APP.id, PRINCIPAL.id, 'USER');
    const card = await taskCard('iciiTverify01');
    const res = await verify('iciiTverify01');
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String((res.body as { value: string }).value)).toContain('Still assigned: Jane Doe is assigned to Salesforce directly');
    expect(String((res.body as { value: string }).value)).toContain('Why Okta skipped it: Salesforce is assigned to Jane Doe directly (scope USER)');
    const reply = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === `${TEAM_ID};messageid=${card.activityId}`);
    expect(JSON.stringify(reply.activity)).toContain('Checked in Okta by Alice Admin');
    expect(running.queue.audit('item:iciiTverify01')[0]).toMatchObject({ action: 'verify', result: 'ok', actor: { via: 'teams' } });
  });

  it('offers Mark done in the thread when the access is gone', async () => {
    running = await startTeamsBot({ env: env() });
    const card = await taskCard('iciiTverify02');
    await verify('iciiTverify02');
    const reply = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === `${TEAM_ID};messageid=${card.activityId}`);
    const actions = JSON.stringify(reply.activity);
    expect(actions).toContain('"verb":"oig_manual_done"');
    expect(actions).toContain('"taskId":"item:iciiTverify02"');
  });

  it('tells Teams at once when Okta is slower than the invoke budget; the thread gets the answer', async () => {
    running = await startTeamsBot({ env: env(), tuning: { invokeBudgetMs: 0 } });
    okta.assignApp(APP.id, PRINCIPAL.id, 'USER');
    const card = await taskCard('iciiTverify03');
    const res = await verify('iciiTverify03');
    expect(String((res.body as { value: string }).value)).toContain('the answer will be posted in the task card\'s thread');
    const reply = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === `${TEAM_ID};messageid=${card.activityId}`);
    expect(JSON.stringify(reply.activity)).toContain('Still assigned');
  });
});
