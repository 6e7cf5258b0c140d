/**
 * Teams threads and edits when the messages they point to are gone: a card whose message was deleted is
 * posted anew (and later edits go to the new one); a reply whose thread is gone starts a new thread. Also
 * cards in a personal chat that subscribed. The real CloudAdapter against the fake connector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { accessRequestEvent, decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, botAddedToTeam, personalConversationId, personalMessage, postActivity } from '../helpers/teams-activities.ts';
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

const has = (text: string) => (s: { activity: unknown }) => JSON.stringify(s.activity).includes(text);

describe('Teams threads and edits', () => {
  it('an edit of a deleted message posts the card anew; the next edit goes to the new message', async () => {
    running = await startTeamsBot();
    await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }));
    await postHook(running.url, envelope([accessRequestEvent('create', { request: 'reqGone00001', published: '2026-11-01T09:00:00.000Z' })]));
    const first = await teams.waitFor((s) => s.kind === 'send' && has('Access request')(s));
    // someone deleted the message: Teams answers the edit 404
    teams.failNext(1, { status: 404, code: 'NotFound', method: 'PUT' });
    await postHook(running.url, envelope([accessRequestEvent('resolve', { request: 'reqGone00001', published: '2026-11-01T10:00:00.000Z' })]));
    const again = await teams.waitFor((s) => s.kind === 'send' && s.activityId !== first.activityId && has('Access request')(s));
    expect(again.conversationId).toBe(TEAM_ID);
    await postHook(running.url, envelope([accessRequestEvent('expire', { request: 'reqGone00001', published: '2026-11-01T11:00:00.000Z' })]));
    await teams.waitFor((s) => s.kind === 'update' && s.activityId === again.activityId);
  });

  it('a reply whose thread is gone starts a new thread instead of being lost', async () => {
    running = await startTeamsBot();
    await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }));
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiNoThread1' })]));
    const decision = await teams.waitFor((s) => s.kind === 'send' && has('Access certification decision')(s));
    teams.failNext(1, { status: 404, code: 'ConversationNotFound', method: 'POST' });
    await postHook(running.url, envelope([remediateEvent({ item: 'iciiNoThread1', outcome: 'SUCCESS' })]));
    const reply = await teams.waitFor((s) => s.kind === 'send' && has('Access certification remediation')(s));
    expect(reply.conversationId).toBe(TEAM_ID);
    const refused = teams.requests.filter((r) => r.status === 404 && r.conversationId === `${TEAM_ID};messageid=${decision.activityId}`);
    expect(refused).toHaveLength(1);
  });

  it('a personal chat can subscribe too: cards come to the person', async () => {
    running = await startTeamsBot({ env: { OIG_ALLOWED_USERS: ALICE.aadObjectId } });
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig subscribe manual', from: ALICE }));
    expect(JSON.stringify(teams.sent().at(-1)!.activity)).toContain('now gets manual');
    await postHook(running.url, envelope([remediateEvent({ item: 'iciiPersonal1', outcome: 'SKIPPED' })]));
    const card = await teams.waitFor((s) => s.kind === 'send' && has('oig_manual_claim')(s));
    expect(card.conversationId).toBe(personalConversationId(ALICE));
    await eventually(() => expect(running!.teams.status().outbox).toBe(0));
  });
});
