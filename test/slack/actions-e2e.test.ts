/**
 * Issue 4 end to end: real Bot, real Slack adapter and the real Bolt App with the task buttons, against the
 * fake Slack Web API and the fake Okta API on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, envelope, GROUP, PRINCIPAL, remediateEvent } from '../helpers/okta-events.ts';
import { postSlack } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { clickBody, startTaskBot, type TaskBot } from '../followup/task-bot.ts';
import { MANUAL, textOf } from './slack-bot.ts';

let fake: FakeSlack;
let okta: FakeOkta;
let running: TaskBot | undefined;
let clicks = 0;

beforeEach(async () => {
  fake = await FakeSlack.start();
  okta = await FakeOkta.start();
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await fake.close();
  await okta.close();
});

const ALLOWED = { OIG_ALLOWED_USERS: 'U0ALICE, Carol@Example.com' };

/** clicks a button and resolves once Bolt acked; returns the response_url name used */
async function click(actionId: string, value: string, user = 'U0ALICE'): Promise<string> {
  const name = `c${++clicks}`;
  const res = await postSlack(running!.actionsUrl, clickBody(actionId, value, { user, responseUrl: fake.responseUrl(name) }));
  expect(res.status).toBe(200);
  return name;
}

function responseText(name: string): string {
  return fake.responses.filter((r) => r.path.endsWith(`/${name}`)).map((r) => JSON.stringify(r.body)).join('\n');
}

async function responded(name: string): Promise<string> {
  await eventually(() => expect(responseText(name)).not.toBe(''));
  return responseText(name);
}

function actionIds(body: Record<string, unknown>): string[] {
  return [...JSON.stringify(body.blocks ?? []).matchAll(/"action_id":"(oig_manual_[a-z]+)"/g)].map((m) => m[1]!);
}

async function skippedCard(item: string, resource = APP): Promise<void> {
  await postHook(running!.sb.url, envelope([remediateEvent({ item, outcome: 'SKIPPED', resource, published: '2026-11-01T09:00:00.000Z' })]));
  await eventually(() => {
    expect(fake.posts(MANUAL)).toHaveLength(1);
    expect(running!.queue.get(`item:${item}`)?.state).toBe('open');
  });
}

describe('manual-remediation work queue in Slack', () => {
  it('a SKIPPED remediation opens a task with a card; claim, done and reopen each update the card and the store', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiFlow0001');
    const id = 'item:iciiFlow0001';
    expect(actionIds(fake.posts(MANUAL)[0]!.body)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(JSON.stringify(fake.posts(MANUAL)[0]!.body.blocks)).toContain(`"value":"${id}"`);

    await click('oig_manual_claim', id);
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    expect(running.queue.get(id)).toMatchObject({ state: 'claimed', owner: { id: 'U0ALICE', via: 'slack' } });
    expect(textOf(fake.updates(MANUAL)[0]!.body)).toContain('Claimed by u0alice');
    expect(actionIds(fake.updates(MANUAL)[0]!.body)).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);

    await click('oig_manual_done', id);
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(2));
    expect(running.queue.get(id)?.state).toBe('done');
    expect(textOf(fake.updates(MANUAL)[1]!.body)).toContain('Manually remediated');
    expect(actionIds(fake.updates(MANUAL)[1]!.body)).toEqual(['oig_manual_verify', 'oig_manual_reopen']);

    await click('oig_manual_reopen', id);
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(3));
    expect(running.queue.get(id)?.state).toBe('open');
    expect(running.queue.get(id)?.owner).toBeUndefined();
    // every edit is of the one card message
    expect(fake.posts(MANUAL)).toHaveLength(1);
    expect(new Set(fake.updates(MANUAL).map((u) => u.body.ts)).size).toBe(1);
    expect(running.queue.audit(id).map((a) => `${a.action}:${a.result}`)).toEqual(['reopen:ok', 'done:ok', 'claim:ok']);
  });

  it('refuses a user not on OIG_ALLOWED_USERS privately, changes nothing, and stores the refusal', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiDeny0001');
    const id = 'item:iciiDeny0001';
    const r = await click('oig_manual_claim', id, 'U0MALLORY');
    expect(await responded(r)).toContain('not allowed');
    expect(fake.responses.find((x) => x.path.endsWith(`/${r}`))!.body.response_type).toBe('ephemeral');
    expect(running.queue.get(id)?.state).toBe('open');
    expect(running.queue.audit(id)).toEqual([expect.objectContaining({ action: 'claim', result: 'refused', actor: expect.objectContaining({ id: 'U0MALLORY' }) })]);
    await new Promise((res) => setTimeout(res, 200));
    expect(fake.updates(MANUAL)).toHaveLength(0);
  });

  it('allows a user by the email Slack gives for them (users.info)', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    fake.addUser('U0CAROL', 'Carol Admin', 'carol@example.com');
    await skippedCard('iciiMail0001');
    await click('oig_manual_claim', 'item:iciiMail0001', 'U0CAROL');
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    expect(running.queue.get('item:iciiMail0001')?.owner).toMatchObject({ id: 'U0CAROL', email: 'carol@example.com', name: 'Carol Admin' });
    expect(textOf(fake.updates(MANUAL)[0]!.body)).toContain('Claimed by Carol Admin');
  });

  it('duplicate clicks are harmless: one claim, one card update', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiTwice001');
    const id = 'item:iciiTwice001';
    await Promise.all([click('oig_manual_claim', id), click('oig_manual_claim', id)]);
    await eventually(() => expect(running!.queue.audit(id)).toHaveLength(2));
    expect(running.queue.audit(id).map((a) => a.result).sort()).toEqual(['invalid_state', 'ok']);
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    await new Promise((res) => setTimeout(res, 200));
    expect(fake.updates(MANUAL)).toHaveLength(1);
    expect(running.queue.get(id)?.state).toBe('claimed');
  });

  it('answers a forged or unknown task id cleanly and stores it', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiReal0001');
    for (const value of ['item:doesNotExist', '__proto__', 'x'.repeat(1900)]) {
      expect(await responded(await click('oig_manual_done', value))).toContain('does not know');
    }
    expect(running.queue.audit().filter((a) => a.result === 'unknown_task')).toHaveLength(3);
    expect(running.queue.audit().every((a) => a.taskId.length <= 300)).toBe(true);
    expect(running.queue.get('item:iciiReal0001')?.state).toBe('open');
    expect(fake.updates(MANUAL)).toHaveLength(0);
  });

  it('a SUCCESS remediation after SKIPPED closes the task and updates its card', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiLater001');
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiLater001', outcome: 'SUCCESS', published: '2026-11-02T09:00:00.000Z' })]));
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    expect(running.queue.get('item:iciiLater001')).toMatchObject({ state: 'done', closedByOkta: true });
    expect(textOf(fake.updates(MANUAL)[0]!.body)).toContain('Okta (a later remediation succeeded)');
    expect(running.queue.openTasks()).toHaveLength(0);
  });

  it('keeps tasks and their card references across a restart', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiRestart1');
    await click('oig_manual_claim', 'item:iciiRestart1');
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(1));
    const dataDir = running.sb.dataDir;
    await running.stop(false);
    running = await startTaskBot(fake, { env: ALLOWED, dataDir });
    expect(running.queue.get('item:iciiRestart1')).toMatchObject({ state: 'claimed', owner: { id: 'U0ALICE' } });
    expect(running.queue.audit('item:iciiRestart1')).toHaveLength(1);
    await click('oig_manual_done', 'item:iciiRestart1');
    await eventually(() => expect(fake.updates(MANUAL)).toHaveLength(2));
    // the same message edited, not a new one
    expect(fake.posts(MANUAL)).toHaveLength(1);
    expect(fake.updates(MANUAL)[1]!.body.ts).toBe(fake.updates(MANUAL)[0]!.body.ts);
  });
});

describe('Verify in Okta', () => {
  it('reports an app assigned through a group, naming the group', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    okta.addGroup('00gSales', 'Sales Team');
    okta.addMember(PRINCIPAL.id, '00gSales');
    okta.assignAppToGroup(APP.id, '00gSales');
    okta.assignApp(APP.id, PRINCIPAL.id, 'GROUP');
    await skippedCard('iciiVerify01');
    const text = await responded(await click('oig_manual_verify', 'item:iciiVerify01'));
    expect(text).toContain('Still assigned through group Sales Team');
    expect(okta.apiRequests).toContain(`/api/v1/apps/${APP.id}/users/${PRINCIPAL.id}`);
    expect(running.queue.audit('item:iciiVerify01')[0]).toMatchObject({ action: 'verify', result: 'ok', detail: 'present' });
    expect(running.queue.get('item:iciiVerify01')?.state).toBe('open');
    // the answer is also a reply in the card's thread, for everyone in the channel
    await eventually(() => {
      const reply = [...fake.messages.values()].find((m) => m.threadTs && m.text.includes('Checked in Okta'));
      expect(reply?.channel).toBe(MANUAL);
      expect(JSON.stringify(reply?.blocks)).toContain('Still assigned through group Sales Team');
      expect(fake.messages.get(reply!.threadTs!)?.text).toContain('Manual remediation');
    });
  });

  it('reports a direct app assignment', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    okta.assignApp(APP.id, PRINCIPAL.id, 'USER');
    await skippedCard('iciiVerify02');
    expect(await responded(await click('oig_manual_verify', 'item:iciiVerify02'))).toContain('Still assigned: Jane Doe is assigned to Salesforce directly');
  });

  it('reports a group membership that comes from a group rule', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    okta.addGroup(GROUP.id, GROUP.name);
    okta.addMember(PRINCIPAL.id, GROUP.id);
    okta.addRule('0prFin', 'Finance by department', [GROUP.id]);
    await skippedCard('iciiVerify03', GROUP);
    const text = await responded(await click('oig_manual_verify', 'item:iciiVerify03'));
    expect(text).toContain('Still a member: Jane Doe is in Finance Admins');
    // the answer is JSON here: quotes come escaped
    expect(text).toContain(String.raw`Why Okta skipped it: the group rule \"Finance by department\" (0prFin`);
    expect(text).toContain(String.raw`Next step: Edit the group rule \"Finance by department\"`);
  });

  it('says the access is gone and offers to mark the task done', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    await skippedCard('iciiVerify04', GROUP);
    const r = await click('oig_manual_verify', 'item:iciiVerify04');
    const text = await responded(r);
    expect(text).toContain('Gone: Jane Doe is no longer a member of Finance Admins');
    const body = fake.responses.find((x) => x.path.endsWith(`/${r}`))!.body;
    expect(actionIds(body)).toEqual(['oig_manual_done']);
    // the offered button works like the card's
    await click('oig_manual_done', 'item:iciiVerify04');
    await eventually(() => expect(running!.queue.get('item:iciiVerify04')?.state).toBe('done'));
  });

  it('says a user deleted from Okta has none of the access, and the task card says so too', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    okta.addGroup(GROUP.id, GROUP.name);
    okta.addMember(PRINCIPAL.id, GROUP.id);
    okta.deleteUser(PRINCIPAL.id);
    await skippedCard('iciiVerify05', GROUP);
    const r = await click('oig_manual_verify', 'item:iciiVerify05');
    const text = await responded(r);
    expect(text).toContain('Gone: Jane Doe is no longer a member of Finance Admins. Okta no longer has this user: deleted, with all of its access. Mark the task done.');
    expect(actionIds(fake.responses.find((x) => x.path.endsWith(`/${r}`))!.body)).toEqual(['oig_manual_done']);
    await eventually(() => expect(JSON.stringify(fake.updates(MANUAL).at(-1)?.body)).toContain('Okta no longer has this user: deleted'));
  });

  it('explains what to configure without Okta credentials', async () => {
    running = await startTaskBot(fake, { env: ALLOWED });
    await skippedCard('iciiNoOkta01');
    const text = await responded(await click('oig_manual_verify', 'item:iciiNoOkta01'));
    expect(text).toContain('OKTA_ORG_URL');
    expect(text).toContain('OKTA_API_TOKEN');
    expect(text).toContain('OKTA_CLIENT_ID + OKTA_PRIVATE_KEY + OKTA_PRIVATE_KEY_ID');
    expect(running.queue.audit('item:iciiNoOkta01')[0]).toMatchObject({ result: 'error' });
  });

  it('waits out an Okta 429 (X-Rate-Limit-Reset) and still answers', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    okta.assignApp(APP.id, PRINCIPAL.id, 'USER');
    await skippedCard('iciiVerify06');
    // the background diagnosis of the new task reads the assignment too: let it finish first
    await eventually(() => expect(running!.queue.checks).toBeDefined());
    await running.queue.checks!.runDue();
    okta.apiRequests.length = 0;
    okta.script({ status: 429, headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) } });
    expect(await responded(await click('oig_manual_verify', 'item:iciiVerify06'))).toContain('Still assigned');
    expect(okta.apiRequests.filter((p) => p.startsWith(`/api/v1/apps/${APP.id}/users/`))).toHaveLength(2);
  });

  it('reports an Okta failure without the token', async () => {
    running = await startTaskBot(fake, { env: { ...ALLOWED, ...okta.env() } });
    await skippedCard('iciiVerify05');
    await running.queue.checks!.runDue();
    okta.script({ status: 403, body: JSON.stringify({ errorCode: 'E0000006', errorSummary: 'You do not have permission' }) });
    const text = await responded(await click('oig_manual_verify', 'item:iciiVerify05'));
    expect(text).toContain('Could not tell whether Jane Doe still has Salesforce');
    expect(text).toContain('403');
    expect(running.queue.get('item:iciiVerify05')?.state).toBe('open');
    expect(text).not.toContain(okta.token);
  });
});
