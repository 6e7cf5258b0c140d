/**
 * Issue 11 §2 in Slack: `/oig skipped` answers with the task buttons, and a press in that ephemeral answer
 * runs the same work queue as a press on the task card — end to end through the real Bolt app (signed
 * slash command and block_actions), the real work queue and outbox, against the fake Slack.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { postSlack, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { clickBody, startTaskBot, type TaskBot } from '../followup/task-bot.ts';
import { MANUAL, textOf } from './slack-bot.ts';

interface Button { type: string; action_id: string; value: string; text: { text: string } }
interface SlackBlock { type: string; block_id?: string; text?: { text: string }; elements?: Button[] }
interface Reply { response_type: string; text: string; blocks: SlackBlock[]; replace_original?: boolean }

let fake: FakeSlack;
let running: TaskBot | undefined;
let clicks = 0;

beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await fake.close();
});

const ALLOWED = { OIG_ALLOWED_USERS: 'U0ALICE' };

async function skippedTasks(items: string[]): Promise<void> {
  const events = items.map((item, i) => remediateEvent({ item, outcome: 'SKIPPED', resource: APP, published: `2026-11-01T09:0${i}:00.000Z` }));
  await postHook(running!.sb.url, envelope(events));
  await eventually(() => {
    expect(fake.posts(MANUAL)).toHaveLength(items.length);
    expect(running!.queue.openTasks()).toHaveLength(items.length);
  });
}

async function askSkipped(): Promise<Reply> {
  const res = await postSlashCommand(running!.sb.url, 'skipped');
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

/** the task rows' actions blocks of an answer, with the task id their buttons carry */
function taskButtons(reply: Reply): Array<{ blockId: string; taskId: string; ids: string[] }> {
  return reply.blocks
    .filter((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id.startsWith('oig_manual_')))
    .map((b) => ({ blockId: b.block_id ?? '', taskId: b.elements![0]!.value, ids: b.elements!.map((e) => e.action_id) }));
}

/** a click from the ephemeral answer: Slack names the container ephemeral and gives the actions block's id */
async function clickInAnswer(actionId: string, taskId: string, blockId: string, user = 'U0ALICE'): Promise<string> {
  const name = `e${++clicks}`;
  const form = new URLSearchParams(clickBody(actionId, taskId, { user, responseUrl: fake.responseUrl(name), channel: 'C0CERT0001', ts: '1700000099.000100' }));
  const payload = JSON.parse(form.get('payload')!) as { container: Record<string, unknown>; actions: Array<Record<string, unknown>>; message?: unknown };
  payload.container.is_ephemeral = true;
  payload.actions[0]!.block_id = blockId;
  delete payload.message;
  const res = await postSlack(running!.actionsUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  expect(res.status).toBe(200);
  return name;
}

async function responseAt(name: string): Promise<Reply> {
  await eventually(() => expect(fake.responses.some((r) => r.path.endsWith(`/${name}`))).toBe(true));
  return fake.responses.find((r) => r.path.endsWith(`/${name}`))!.body as unknown as Reply;
}

describe('/oig skipped in Slack: a button per task', () => {
  it('answers privately with Claim, Mark done and Verify under each open task, the task id as value', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedTasks(['iciiSkipA001', 'iciiSkipB001']);
    const reply = await askSkipped();
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply as unknown as Record<string, unknown>)).toContain('2 matched');
    expect(taskButtons(reply)).toEqual([
      { blockId: expect.stringMatching(/^oig_row:/) as string, taskId: 'item:iciiSkipA001', ids: ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify'] },
      { blockId: expect.stringMatching(/^oig_row:/) as string, taskId: 'item:iciiSkipB001', ids: ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify'] },
    ]);
    // each task's line sits right above its buttons
    const i = reply.blocks.findIndex((b) => b.block_id === taskButtons(reply)[1]!.blockId);
    expect(reply.blocks[i - 1]).toMatchObject({ type: 'section', text: { text: expect.stringContaining('no owner') as string } });
    expect(new Set(reply.blocks.map((b) => b.block_id).filter(Boolean)).size).toBe(2);
  });

  it('an allowed press in the answer claims the task, audits it, edits the channel card and refreshes the answer', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedTasks(['iciiSkipC001', 'iciiSkipD001']);
    const row = taskButtons(await askSkipped()).find((b) => b.taskId === 'item:iciiSkipD001')!;
    const r = await clickInAnswer('oig_manual_claim', row.taskId, row.blockId);

    const refreshed = await responseAt(r);
    expect(refreshed).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const rows = taskButtons(refreshed);
    expect(rows.map((b) => [b.taskId, b.ids])).toEqual([
      ['item:iciiSkipC001', ['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']],
      ['item:iciiSkipD001', ['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']],
    ]);
    expect(textOf(refreshed as unknown as Record<string, unknown>)).toContain('owner u0alice');

    expect(running.queue.get('item:iciiSkipD001')).toMatchObject({ state: 'claimed', owner: { id: 'U0ALICE', via: 'slack' } });
    expect(running.queue.audit('item:iciiSkipD001')).toEqual([expect.objectContaining({ action: 'claim', result: 'ok' })]);
    // the task's card in the manual channel is edited in place (an ephemeral message is never chat.update'd)
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    const card = [...fake.messages.values()].find((m) => m.channel === MANUAL && JSON.stringify(m.blocks).includes('"value":"item:iciiSkipD001"'))!;
    expect(fake.updates(MANUAL)[0]!.body.ts).toBe(card.ts);
    expect(textOf(fake.updates(MANUAL)[0]!.body)).toContain('Claimed by u0alice');
    expect(fake.updates().filter((u) => u.body.channel !== MANUAL)).toHaveLength(0);

    // the refreshed answer's buttons work too: mark it done, and it leaves the list
    const again = taskButtons(refreshed).find((b) => b.taskId === 'item:iciiSkipD001')!;
    const done = await responseAt(await clickInAnswer('oig_manual_done', again.taskId, again.blockId));
    expect(running.queue.get('item:iciiSkipD001')?.state).toBe('done');
    expect(taskButtons(done).map((b) => b.taskId)).toEqual(['item:iciiSkipC001']);
    expect(textOf(done as unknown as Record<string, unknown>)).toContain('1 matched');
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(2));
  });

  it('refuses a press in the answer by a user not allowed, privately, and changes nothing', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedTasks(['iciiSkipE001']);
    const row = taskButtons(await askSkipped())[0]!;
    const r = await clickInAnswer('oig_manual_claim', row.taskId, row.blockId, 'U0MALLORY');
    const answer = await responseAt(r);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('not allowed');
    // a new private message: the answer the press came from stays as it was
    expect(answer.replace_original).toBe(false);
    expect(running.queue.get('item:iciiSkipE001')?.state).toBe('open');
    expect(running.queue.audit('item:iciiSkipE001')).toEqual([expect.objectContaining({ action: 'claim', result: 'refused' })]);
    await new Promise((res) => setTimeout(res, 200));
    expect(fake.updates(MANUAL)).toHaveLength(0);
    expect(fake.responses.filter((x) => x.path.endsWith(`/${r}`))).toHaveLength(1);
  });

  it('a press in another private message (a verify reply\'s "Mark done") replaces it with a short confirmation', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedTasks(['iciiSkipF001']);
    const answer = await responseAt(await clickInAnswer('oig_manual_done', 'item:iciiSkipF001', 'verify-reply'));
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'Marked done.' });
    expect(running.queue.get('item:iciiSkipF001')?.state).toBe('done');
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
  });

  it('pages ten tasks at a time so every page stays within 50 blocks; More shows the rest with buttons', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    const items = Array.from({ length: 23 }, (_, i) => `iciiPage${String(i).padStart(4, '0')}`);
    await postHook(running.sb.url, envelope(items.map((item) => remediateEvent({ item, outcome: 'SKIPPED', resource: APP }))));
    await eventually(() => expect(running!.queue.openTasks()).toHaveLength(23));
    const first = await askSkipped();
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(taskButtons(first)).toHaveLength(10);
    expect(textOf(first as unknown as Record<string, unknown>)).toContain('23 matched · page 1 of 3');
    const more = first.blocks.at(-1)!.elements![0]!;
    expect(more.action_id).toBe('oig_more');
    // a press on page 2 refreshes page 2
    const form = new URLSearchParams(clickBody('oig_more', more.value, { responseUrl: fake.responseUrl('more1') }));
    const payload = JSON.parse(form.get('payload')!) as { container: Record<string, unknown> };
    payload.container.is_ephemeral = true;
    await postSlack(running.actionsUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    const second = await responseAt('more1');
    const row = taskButtons(second)[3]!;
    const refreshed = await responseAt(await clickInAnswer('oig_manual_claim', row.taskId, row.blockId));
    expect(textOf(refreshed as unknown as Record<string, unknown>)).toContain('page 2 of 3');
    expect(taskButtons(refreshed).find((b) => b.taskId === row.taskId)?.ids).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);
  });
});
