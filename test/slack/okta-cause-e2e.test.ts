/**
 * Issue 12 end to end in Slack: real Bot, real Slack adapter and Bolt, the fake Slack Web API and the fake
 * Okta API. A SKIPPED hook opens a task whose card is edited in place with the cause found in Okta; a
 * task closed by a later SUCCESS whose access comes back is reopened, with a reply in the card's thread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { APP, envelope, GROUP, PRINCIPAL, remediateEvent } from '../helpers/okta-events.ts';
import { postSlack } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { clickBody, startTaskBot, type TaskBot } from '../followup/task-bot.ts';
import { homeOf, openHome, taskOrder, wordsOf } from './app-home-helpers.ts';
import { MANUAL, textOf } from './slack-bot.ts';

let fake: FakeSlack;
let okta: FakeOkta;
let running: TaskBot | undefined;

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

const env = (extra: Record<string, string> = {}) => ({ OIG_ALLOWED_USERS: 'U0ALICE', ...okta.env(), ...extra });

/** what the task card's message shows now: its last edit, or the post */
function cardNow(): string {
  const updates = fake.updates(MANUAL);
  return textOf((updates.at(-1) ?? fake.posts(MANUAL)[0]!).body);
}

describe('the cause on the task card', () => {
  it('a SKIPPED group membership: the card says which group rule and links to it, edited in place', async () => {
    running = await startTaskBot(fake, { env: env() });
    okta.addGroup(GROUP.id, GROUP.name);
    okta.addMember(PRINCIPAL.id, GROUP.id);
    for (let i = 1; i <= 210; i++) okta.addRule(`0prOther${i}`, `Other ${i}`, [`00gOther${i}`]);
    okta.addRule('0prFin', 'Finance by department', [GROUP.id], 'ACTIVE', 'user.department == "Finance"');
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiCause001', outcome: 'SKIPPED', resource: GROUP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => {
      expect(fake.posts(MANUAL)).toHaveLength(1);
      expect(cardNow()).toContain('Why Okta skipped it');
    });
    const text = cardNow();
    expect(text).toContain('Finance by department');
    // a real Slack link under our own words, not a URL inside Okta's text
    expect(text).toContain(`<${okta.url}/admin/groups#rules|Group rules in the Okta Admin Console`);
    expect(text).toContain('Next step');
    expect(text).not.toContain('Likely cause');
    // one message, edited (or posted with the cause): never a second card
    expect(fake.posts(MANUAL)).toHaveLength(1);
    expect(running.queue.get('item:iciiCause001')?.state).toBe('open');
  });

  it('an app assigned through a group: the card names the group and the Verify answer says the same', async () => {
    running = await startTaskBot(fake, { env: env() });
    okta.addGroup('00gSales', 'Sales Team');
    okta.addMember(PRINCIPAL.id, '00gSales');
    okta.assignAppToGroup(APP.id, '00gSales');
    okta.assignApp(APP.id, PRINCIPAL.id, 'GROUP');
    okta.addApp(APP.id, 'salesforce', 'Salesforce');
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiCause002', outcome: 'SKIPPED', resource: APP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => expect(cardNow()).toContain('through the group Sales Team'));
    expect(cardNow()).toContain(`<${okta.url}/admin/group/00gSales|Group Sales Team in the Okta Admin Console>`);
    expect(cardNow()).toContain(`<${okta.url}/admin/app/salesforce/instance/${APP.id}/#tab-assignments|Salesforce assignments in the Okta Admin Console>`);
    expect(cardNow()).toContain('Next step: Remove Jane Doe from Sales Team in Okta');
    await postSlack(running.actionsUrl, clickBody('oig_manual_verify', 'item:iciiCause002', { responseUrl: fake.responseUrl('v1') }));
    await eventually(() => {
      const reply = [...fake.messages.values()].find((m) => m.threadTs && m.text.includes('Checked in Okta'));
      expect(JSON.stringify(reply?.blocks)).toContain('Still assigned through group Sales Team');
      expect(JSON.stringify(reply?.blocks)).toContain('Next step: Remove Jane Doe from Sales Team in Okta');
    });
  });

  it('the Slack Home tab shows the same cause under the task, refreshed when the check finds it', async () => {
    running = await startTaskBot(fake, { env: env() });
    okta.addGroup(GROUP.id, GROUP.name);
    okta.addMember(PRINCIPAL.id, GROUP.id);
    okta.addRule('0prFin', 'Finance by department', [GROUP.id], 'ACTIVE', 'user.department == "Finance"');
    await openHome(running.sb.url, 'U0ALICE');
    await eventually(() => expect(fake.publishes('U0ALICE')).toHaveLength(1));
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiCause003', outcome: 'SKIPPED', resource: GROUP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => {
      const words = wordsOf(homeOf(fake, 'U0ALICE'));
      expect(words).toContain('Why Okta skipped it');
      expect(words).toContain('Finance by department');
      expect(words).toContain('Next step: Edit the group rule');
    });
    expect(taskOrder(homeOf(fake, 'U0ALICE'))).toEqual(['item:iciiCause003']);
  });
});

describe('drift', () => {
  it('a task closed by a later SUCCESS whose access came back is reopened, with a reply in the card thread', async () => {
    running = await startTaskBot(fake, { env: env({ VERIFY_AFTER: '1m' }) });
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiDrift001', outcome: 'SKIPPED', resource: GROUP, published: '2026-11-01T09:00:00.000Z' })]));
    await eventually(() => expect(fake.posts(MANUAL)).toHaveLength(1));
    // Okta succeeded an hour later (long past VERIFY_AFTER), but a group rule put the user back since
    okta.addGroup(GROUP.id, GROUP.name);
    okta.addMember(PRINCIPAL.id, GROUP.id);
    okta.addRule('0prFin', 'Finance by department', [GROUP.id]);
    await postHook(running.sb.url, envelope([remediateEvent({ item: 'iciiDrift001', outcome: 'SUCCESS', resource: GROUP, published: '2026-11-01T10:00:00.000Z' })]));
    await eventually(() => {
      const reply = [...fake.messages.values()].find((m) => m.threadTs && JSON.stringify(m.blocks).includes('Access came back'));
      expect(reply?.channel).toBe(MANUAL);
      expect(fake.messages.get(reply!.threadTs!)?.text).toContain('Manual remediation');
      expect(JSON.stringify(reply?.blocks)).toContain('Finance by department');
      expect(running!.queue.get('item:iciiDrift001')?.state).toBe('open');
    }, 5000);
    expect(running.queue.openTasks().map((t) => t.id)).toContain('item:iciiDrift001');
    expect(running.queue.audit('item:iciiDrift001')[0]).toMatchObject({ action: 'reopen', actor: { via: 'bot' } });
    await eventually(() => expect(cardNow()).toContain('Open'));
  });
});
