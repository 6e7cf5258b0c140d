/**
 * Issue 7 end to end: the real Bot, work queue and Teams adapter (botbuilder's CloudAdapter with auth
 * disabled) wired by src/compose.ts, against a fake Bot Framework Connector on 127.0.0.1 — the activities'
 * serviceUrl — and the Okta hook route.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams, type SentActivity } from '../helpers/fake-teams.ts';
import { APP, decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { postHook } from '../helpers/start-bot.ts';
import {
  ALICE, BOB, TEAM_ID, adaptiveCardAction, botAddedToTeam, botRemovedFromTeam, channelMessage, personalMessage, postActivity,
} from '../helpers/teams-activities.ts';
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

const ALLOWED = { OIG_ALLOWED_USERS: `${ALICE.aadObjectId}` };

interface Card {
  body?: unknown[];
  actions?: Array<{ type: string; verb?: string; data?: Record<string, unknown>; url?: string; title?: string }>;
  refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
}

function cardOf(s: SentActivity): Card {
  const a = s.activity.attachments?.[0];
  expect(a?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return a!.content as Card;
}

const textOf = (card: unknown): string => JSON.stringify(card);
const verbs = (card: Card): string[] => (card.actions ?? []).map((a) => a.verb ?? a.type);

async function subscribeTeam(): Promise<void> {
  const res = await postActivity(running!.url, botAddedToTeam({ serviceUrl: teams.url }));
  expect(res.status).toBe(200);
}


describe('Teams: channels and cards', () => {
  it('adding the bot to a team subscribes its General channel: the reference is stored and cards go there', async () => {
    running = await startTeamsBot();
    await subscribeTeam();
    // the welcome is a reply in the channel
    expect(teams.sent().some((s) => s.conversationId === TEAM_ID && textOf(s.activity).includes('will post all cards here'))).toBe(true);
    const stored = JSON.parse(await readFile(path.join(running.dataDir, 'state', 'teams-subscriptions.json'), 'utf8')) as { subscriptions: Record<string, { ref: { serviceUrl: string; bot: { id: string } } }> };
    expect(stored.subscriptions[TEAM_ID]?.ref).toMatchObject({ serviceUrl: teams.url, conversation: { id: TEAM_ID } });

    const res = await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiTeams001', notes: 'left the **team** [x](https://evil)' })]));
    expect(res.status).toBe(200);
    const card = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === TEAM_ID && textOf(s.activity).includes('Access certification decision'));
    const content = cardOf(card);
    expect(content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(textOf(content)).toContain('Jane Doe');
    // an Okta note is shown as written, never as Markdown
    expect(textOf(content)).toContain('"type":"TextRun","text":"left the **team** [x](https://evil)"');
    expect(running.teams.status().subscriptions).toBe(1);
  });

  it('a remediation replies in the decision card\'s thread and updates that card in place', async () => {
    running = await startTeamsBot();
    await subscribeTeam();
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiThread01' })]));
    const decision = await teams.waitFor((s) => s.kind === 'send' && textOf(s.activity).includes('Access certification decision'));
    await postHook(running.url, envelope([remediateEvent({ item: 'iciiThread01', outcome: 'SUCCESS' })]));
    const reply = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === `${TEAM_ID};messageid=${decision.activityId}`);
    expect(textOf(reply.activity)).toMatch(/remov|remediat/i);
    const edit = await teams.waitFor((s) => s.kind === 'update' && s.activityId === decision.activityId);
    expect(textOf(edit.activity)).toMatch(/remov|remediat/i);
  });

  it('oig subscribe with families narrows what a channel gets; oig unsubscribe stops it; both need OIG_ALLOWED_USERS', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    const channel = '19:manualonly0000@thread.tacv2';
    const refused = await postActivity(running.url, channelMessage({ serviceUrl: teams.url, conversationId: channel, text: 'oig subscribe manual', from: BOB }));
    expect(refused.status).toBe(200);
    expect(textOf(teams.sent().at(-1)!.activity)).toContain('Only people listed in OIG_ALLOWED_USERS');
    expect(running.teams.status().subscriptions).toBe(0);

    // a typo changes nothing (it must not subscribe the channel to everything)
    await postActivity(running.url, channelMessage({ serviceUrl: teams.url, conversationId: channel, text: 'oig subscribe manaul', from: ALICE }));
    expect(textOf(teams.sent().at(-1)!.activity)).toContain('I do not know manaul');
    expect(running.teams.status().subscriptions).toBe(0);

    await postActivity(running.url, channelMessage({ serviceUrl: teams.url, conversationId: channel, text: 'oig subscribe manual', from: ALICE }));
    expect(textOf(teams.sent().at(-1)!.activity)).toContain('now gets manual');
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiFam00001' }), remediateEvent({ item: 'iciiFam00002', outcome: 'SKIPPED', resource: APP })]));
    const manual = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === channel && textOf(s.activity).includes('oig_manual_claim'));
    expect(manual).toBeDefined();
    await running.bot.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(teams.sent().filter((s) => s.conversationId.startsWith(channel) && textOf(s.activity).includes('Access certification decision'))).toHaveLength(0);

    await postActivity(running.url, channelMessage({ serviceUrl: teams.url, conversationId: channel, text: 'oig unsubscribe', from: ALICE }));
    expect(textOf(teams.sent().at(-1)!.activity)).toContain('no more cards');
    expect(running.teams.status().subscriptions).toBe(0);
  });

  it('restart keeps subscriptions; removing the bot from the team forgets them', async () => {
    running = await startTeamsBot();
    await subscribeTeam();
    const dataDir = running.dataDir;
    await running.stop();
    running = await startTeamsBot({ dataDir });
    expect(running.teams.status().subscriptions).toBe(1);
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiRestart1' })]));
    await teams.waitFor((s) => s.kind === 'send' && s.conversationId === TEAM_ID && textOf(s.activity).includes('Access certification decision'));

    await postActivity(running.url, botRemovedFromTeam({ serviceUrl: teams.url }));
    expect(running.teams.status().subscriptions).toBe(0);
  });
});

describe('Teams: manual-remediation buttons', () => {
  async function skippedCard(item: string): Promise<SentActivity> {
    await subscribeTeam();
    await postHook(running!.url, envelope([remediateEvent({ item, outcome: 'SKIPPED', resource: APP, published: '2026-11-01T09:00:00.000Z' })]));
    return teams.waitFor((s) => s.kind === 'send' && textOf(s.activity).includes('oig_manual_claim'));
  }

  const press = (verb: string, taskId: string, from = ALICE, replyToId?: string) =>
    postActivity(running!.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from, verb, data: { taskId }, ...(replyToId ? { replyToId } : {}) }));

  it('SKIPPED gives a card with Action.Execute buttons; an allowed user claims, finishes and reopens it', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    const sent = await skippedCard('iciiTask0001');
    const id = 'item:iciiTask0001';
    const open = cardOf(sent);
    expect(verbs(open)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(open.actions!.every((a) => a.type === 'Action.Execute' && a.data?.taskId === id)).toBe(true);

    const claimed = await press('oig_manual_claim', id, ALICE, sent.activityId);
    expect(claimed.status).toBe(200);
    const body = claimed.body as { statusCode: number; type: string; value: Card };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(verbs(body.value)).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);
    expect(textOf(body.value)).toContain('Alice Admin');
    expect(running.queue.get(id)).toMatchObject({ state: 'claimed', owner: { id: ALICE.aadObjectId, name: 'Alice Admin', via: 'teams' } });
    // everyone else sees it too: the message itself is edited
    await teams.waitFor((s) => s.kind === 'update' && s.activityId === sent.activityId && textOf(s.activity).includes('oig_manual_reopen'));

    expect(((await press('oig_manual_done', id)).body as { value: Card }).value).toBeDefined();
    expect(running.queue.get(id)?.state).toBe('done');
    const reopened = (await press('oig_manual_reopen', id)).body as { value: Card };
    expect(verbs(reopened.value)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(running.queue.get(id)?.state).toBe('open');
    expect(running.queue.audit(id).map((a) => [a.action, a.result, a.actor.via])).toEqual([
      ['reopen', 'ok', 'teams'],
      ['done', 'ok', 'teams'],
      ['claim', 'ok', 'teams'],
    ]);
  });

  it('anyone not in OIG_ALLOWED_USERS is refused privately; nothing changes; the refusal is audited', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    const sent = await skippedCard('iciiTask0002');
    const id = 'item:iciiTask0002';
    const before = teams.sent().length;
    const res = await press('oig_manual_claim', id, BOB, sent.activityId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String((res.body as { value: string }).value)).toContain('not allowed');
    expect(running.queue.get(id)?.state).toBe('open');
    expect(running.queue.audit(id)[0]).toMatchObject({ action: 'claim', result: 'refused', actor: { id: BOB.aadObjectId, via: 'teams' } });
    await new Promise((r) => setTimeout(r, 150));
    expect(teams.sent().length).toBe(before);
  });

  it('a UPN in OIG_ALLOWED_USERS is matched through the roster', async () => {
    running = await startTeamsBot({ env: { OIG_ALLOWED_USERS: 'bob@contoso.example' } });
    teams.addMember({ id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId, userPrincipalName: 'Bob@Contoso.example' });
    await skippedCard('iciiTask0003');
    const res = await press('oig_manual_claim', 'item:iciiTask0003', BOB);
    expect(res.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    expect(running.queue.get('item:iciiTask0003')).toMatchObject({ state: 'claimed', owner: { email: 'Bob@Contoso.example' } });
  });

  it('bad invokes get a clear answer: unknown task, unknown verb, no verb, a duplicate press', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    const unknown = await press('oig_manual_claim', 'item:nope');
    expect(String((unknown.body as { value: string }).value)).toContain('does not know');
    const badVerb = await press('oig_drop_tables', 'item:nope');
    expect(badVerb.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    const noVerb = await postActivity(running.url, { ...adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'x' }), value: { action: {} } });
    expect(noVerb.body).toMatchObject({ statusCode: 400 });

    await skippedCard('iciiTask0004');
    const twice = adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_manual_claim', data: { taskId: 'item:iciiTask0004' } });
    expect((await postActivity(running.url, twice)).status).toBe(200);
    const again = await postActivity(running.url, twice);
    expect(again.status).toBe(200);
    expect(again.body).toBeUndefined();
    expect(running.queue.audit('item:iciiTask0004')).toHaveLength(1);
  });
});

describe('Teams: oig commands', () => {
  it('@bot oig revokes in a channel: everyone sees a placeholder, the asker gets the data in a user-specific view', async () => {
    running = await startTeamsBot();
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiCmd00001', principal: { id: '00u1zed', name: 'Zed Zebra', login: 'zed@example.com' } })]));
    await running.bot.idle();
    const res = await postActivity(running.url, channelMessage({ serviceUrl: teams.url, text: 'oig revokes', from: ALICE }));
    expect(res.status).toBe(200);
    const placeholder = cardOf(teams.sent().at(-1)!);
    expect(textOf(placeholder)).not.toContain('Zed Zebra');
    expect(placeholder.refresh).toMatchObject({ action: { verb: 'oig_answer', data: { command: 'revokes', page: 0, asker: ALICE.id } }, userIds: [ALICE.id] });

    const view = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data: placeholder.refresh!.action.data, trigger: 'automatic' }));
    expect(view.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(textOf(view.body)).toContain('Zed Zebra');
    expect(textOf(view.body)).toContain('1 matched');

    // Teams refreshes for everyone in a small channel: someone else gets the placeholder back
    const other = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: BOB, verb: 'oig_answer', data: placeholder.refresh!.action.data, trigger: 'automatic' }));
    expect(textOf(other.body)).not.toContain('Zed Zebra');
  });

  it('in a personal chat the answer comes at once; help tells the Teams way; long answers page with More', async () => {
    running = await startTeamsBot();
    const events = Array.from({ length: 25 }, (_, i) => decideEvent({ decision: 'REVOKE', item: `iciiPage${String(i).padStart(4, '0')}` }));
    await postHook(running.url, envelope(events));
    await running.bot.idle();
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'revokes', from: ALICE }));
    const answer = cardOf(teams.sent().at(-1)!);
    expect(textOf(answer)).toContain('25 matched');
    const more = answer.actions!.find((a) => a.verb === 'oig_more')!;
    expect(more.data).toEqual({ command: 'revokes', page: 1 });
    const page2 = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: `a:${ALICE.aadObjectId}`, from: ALICE, verb: 'oig_more', data: more.data! }));
    expect(textOf(page2.body)).toContain('page 2 of 2');

    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig help', from: ALICE }));
    const help = textOf(teams.sent().at(-1)!.activity);
    expect(help).toContain('oig subscribe');
    expect(help).not.toContain('/oig revokes');
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig frobnicate', from: ALICE }));
    expect(textOf(teams.sent().at(-1)!.activity)).toContain('is not an oig command');
  });

  it('oig export gives the asker a download link to the CSV, valid for an hour', async () => {
    running = await startTeamsBot();
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiExport01' })]));
    await running.bot.idle();
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
    const card = cardOf(teams.sent().at(-1)!);
    const link = card.actions!.find((a) => a.type === 'Action.OpenUrl')!.url!;
    expect(link).toMatch(new RegExp(`^${running.url}/teams/exports\\?token=[A-Za-z0-9_-]{22}$`));
    const csv = await fetch(link);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('principal');
    expect(text).toContain('Jane Doe');
    expect((await fetch(`${running.url}/teams/exports?token=AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${running.url}/teams/exports`)).status).toBe(404);

    // in a channel the link is in the asker's view only: the message every member's client gets carries a
    // view id, not the token, and nobody else can turn it into the link
    await postActivity(running.url, channelMessage({ serviceUrl: teams.url, text: 'oig export revokes', from: ALICE }));
    const placeholder = cardOf(teams.sent().at(-1)!);
    expect(textOf(placeholder)).not.toContain('/teams/exports');
    const data = placeholder.refresh!.action.data;
    const asBob = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: BOB, verb: 'oig_answer', data }));
    expect(textOf(asBob.body)).not.toContain('/teams/exports');
    const forged = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: BOB, verb: 'oig_answer', data: { ...data, asker: BOB.id } }));
    expect(textOf(forged.body)).not.toContain('/teams/exports');
    const view = await postActivity(running.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data }));
    const channelLink = /"url":"([^"]+)"/.exec(textOf(view.body))![1]!;
    expect(channelLink).toContain('/teams/exports?token=');
    expect(channelLink).not.toContain(String(data.export));
    expect((await fetch(channelLink)).status).toBe(200);
  });
});

describe('Teams: /api/messages refuses bad input', () => {
  it('malformed, oversized, non-activity and duplicate posts', async () => {
    running = await startTeamsBot();
    const post = (body: string, type = 'application/json') => fetch(`${running!.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('{not json')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('{"text":"no type"}')).status).toBe(400);
    // shapes botbuilder would fail on deep inside (a 500): no serviceUrl, a non-http one, no conversation
    expect((await post('{"type":"message","text":"oig help"}')).status).toBe(400);
    expect((await post('{"type":"message","text":"oig help","serviceUrl":"ftp://x","conversation":{"id":"a"}}')).status).toBe(400);
    const noConversation = await post(JSON.stringify({ type: 'message', text: 'oig help', serviceUrl: teams.url }));
    expect(noConversation.status).toBe(400);
    expect(await noConversation.text()).toContain('no conversation id');
    expect((await post(JSON.stringify({ type: 'message', text: 'x'.repeat(1024 * 1024 + 10) }))).status).toBe(413);
    expect((await fetch(`${running.url}/api/messages`)).status).toBe(405);

    const msg = personalMessage({ serviceUrl: teams.url, text: 'oig stats', from: ALICE });
    await postActivity(running.url, msg);
    const answers = teams.sent().length;
    expect((await postActivity(running.url, msg)).status).toBe(200);
    expect(teams.sent().length).toBe(answers);
  });

  it('with TEAMS_APP_ID set, a post without a valid Bot Framework token is 401 and changes nothing', async () => {
    running = await startTeamsBot({
      env: { TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', TEAMS_APP_PASSWORD: 'not-a-real-secret', TEAMS_TENANT_ID: '8c2f1a4e-6b3d-4e5f-9a7b-1c2d3e4f5a6b', TEAMS_DEV_NO_AUTH: '' },
    });
    expect(running.teams.status().auth).toBe('bot-framework');
    const none = await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }));
    expect(none.status).toBe(401);
    const basic = await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }), { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' });
    expect(basic.status).toBe(401);
    // a Bearer token that is no JWT: botbuilder's own check refuses it (no network needed)
    const bogus = await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }), { authorization: 'Bearer not-a-jwt' });
    expect(bogus.status).toBe(401);
    expect(running.teams.status().subscriptions).toBe(0);
    expect(teams.sent()).toHaveLength(0);
  });
});
