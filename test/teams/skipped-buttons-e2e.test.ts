/**
 * Issue 11 §2 in Teams: `oig skipped` answers with the task buttons (Action.Execute, the task card's verbs
 * and data.taskId), and a press in the answer runs the same work queue as on the task card — end to end
 * through the real CloudAdapter, work queue and outbox, against the fake Bot Framework connector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams, type SentActivity } from '../helpers/fake-teams.ts';
import { APP, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { postHook } from '../helpers/start-bot.ts';
import { ALICE, BOB, TEAM_ID, adaptiveCardAction, botAddedToTeam, channelMessage, personalMessage, personalConversationId, postActivity, type TeamsAccount } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

interface Execute { type: string; title: string; verb: string; data: { taskId?: string; answer?: Record<string, unknown>; command?: string; page?: number; asker?: string } }
interface Element { type: string; items?: Element[]; actions?: Execute[]; inlines?: Array<{ text: string }> }
interface Card { body: Element[]; actions?: Execute[]; refresh?: { action: Execute; userIds: string[] } }

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

const ALLOWED = { OIG_ALLOWED_USERS: ALICE.aadObjectId };
const textOf = (v: unknown): string => JSON.stringify(v);

function cardOf(s: SentActivity): Card {
  return s.activity.attachments![0]!.content as Card;
}

/** each task row of an answer: its task id and the verbs of its buttons, in order */
function taskRows(card: Card): Array<{ taskId: string; verbs: string[]; buttons: Execute[] }> {
  return card.body
    .filter((e) => e.type === 'Container')
    .map((c) => c.items!.find((e) => e.type === 'ActionSet')!.actions!)
    .map((buttons) => ({ taskId: buttons[0]!.data.taskId!, verbs: buttons.map((b) => b.verb), buttons }));
}

async function skippedTasks(items: string[]): Promise<SentActivity[]> {
  expect((await postActivity(running!.url, botAddedToTeam({ serviceUrl: teams.url }))).status).toBe(200);
  const events = items.map((item, i) => remediateEvent({ item, outcome: 'SKIPPED', resource: APP, published: `2026-11-01T09:0${i}:00.000Z` }));
  await postHook(running!.url, envelope(events));
  const cards: SentActivity[] = [];
  for (const item of items) cards.push(await teams.waitFor((s) => s.kind === 'send' && textOf(s.activity).includes(`item:${item}`)));
  return cards;
}

/** `@OIG oig skipped` in the channel, then the asker's view of the answer (what Teams fetches for them) */
async function askInChannel(): Promise<Card> {
  await postActivity(running!.url, channelMessage({ serviceUrl: teams.url, text: 'oig skipped', from: ALICE }));
  const placeholder = cardOf(teams.sent().at(-1)!);
  expect(taskRows(placeholder)).toEqual([]);
  const view = await postActivity(running!.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_answer', data: placeholder.refresh!.action.data, trigger: 'automatic' }));
  return (view.body as { value: Card }).value;
}

const press = (b: Execute, from: TeamsAccount = ALICE, conversationId = TEAM_ID) =>
  postActivity(running!.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId, from, verb: b.verb, data: b.data }));

describe('oig skipped in Teams: a button per task', () => {
  it('the asker\'s answer has Action.Execute Claim, Mark done and Verify under each task, with the task id', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    await skippedTasks(['iciiTSkip001', 'iciiTSkip002']);
    const answer = await askInChannel();
    expect(textOf(answer)).toContain('2 matched');
    const rows = taskRows(answer);
    expect(rows.map((r) => [r.taskId, r.verbs])).toEqual([
      ['item:iciiTSkip001', ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']],
      ['item:iciiTSkip002', ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']],
    ]);
    expect(rows[0]!.buttons.every((b) => b.type === 'Action.Execute')).toBe(true);
    expect(rows[0]!.buttons[0]!.data).toEqual({ taskId: 'item:iciiTSkip001', answer: { command: 'skipped', page: 0, asker: ALICE.id } });
  });

  it('an allowed press claims the task, audits it, edits the task card in its channel and answers with the answer updated', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    const [, card] = await skippedTasks(['iciiTSkip003', 'iciiTSkip004']);
    const claim = taskRows(await askInChannel()).find((r) => r.taskId === 'item:iciiTSkip004')!.buttons[0]!;
    expect(claim.verb).toBe('oig_manual_claim');

    const res = await press(claim);
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: Card };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    // the answer again, not the task card: same page, still only the asker's view, the task's new buttons
    expect(textOf(body.value)).toContain('Open manual-remediation tasks');
    expect(body.value.refresh).toMatchObject({ action: { verb: 'oig_answer', data: { command: 'skipped', page: 0, asker: ALICE.id } }, userIds: [ALICE.id] });
    expect(taskRows(body.value).map((r) => [r.taskId, r.verbs])).toEqual([
      ['item:iciiTSkip003', ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']],
      ['item:iciiTSkip004', ['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']],
    ]);
    expect(textOf(body.value)).toContain('owner Alice Admin');

    expect(running.queue.get('item:iciiTSkip004')).toMatchObject({ state: 'claimed', owner: { id: ALICE.aadObjectId, via: 'teams' } });
    expect(running.queue.audit('item:iciiTSkip004')).toEqual([expect.objectContaining({ action: 'claim', result: 'ok' })]);
    const edit = await teams.waitFor((s) => s.kind === 'update' && s.activityId === card!.activityId);
    expect(textOf(edit.activity)).toContain('Claimed by Alice Admin');
    expect(textOf(edit.activity)).toContain('oig_manual_reopen');
  });

  it('anyone not in OIG_ALLOWED_USERS is refused privately and nothing changes', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    await skippedTasks(['iciiTSkip005']);
    const claim = taskRows(await askInChannel())[0]!.buttons[0]!;
    const before = teams.sent().length;
    const res = await press(claim, BOB);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String((res.body as { value: string }).value)).toContain('not allowed');
    expect(running.queue.get('item:iciiTSkip005')?.state).toBe('open');
    expect(running.queue.audit('item:iciiTSkip005')).toEqual([expect.objectContaining({ action: 'claim', result: 'refused', actor: expect.objectContaining({ id: BOB.aadObjectId }) as unknown })]);
    await new Promise((r) => setTimeout(r, 200));
    expect(teams.sent().length).toBe(before);
  });

  it('in a personal chat the answer comes with the buttons at once; Mark done there takes the task off the list', async () => {
    running = await startTeamsBot({ env: ALLOWED });
    await skippedTasks(['iciiTSkip006']);
    const chat = personalConversationId(ALICE);
    await postActivity(running.url, personalMessage({ serviceUrl: teams.url, text: 'skipped', from: ALICE }));
    const answer = cardOf(teams.sent().at(-1)!);
    const done = taskRows(answer)[0]!.buttons.find((b) => b.verb === 'oig_manual_done')!;
    expect(done.data).toEqual({ taskId: 'item:iciiTSkip006', answer: { command: 'skipped', page: 0 } });
    const res = await press(done, ALICE, chat);
    const after = (res.body as { value: Card }).value;
    expect(textOf(after)).toContain('0 matched');
    expect(taskRows(after)).toEqual([]);
    expect(running.queue.get('item:iciiTSkip006')?.state).toBe('done');
  });
});
