import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { clickBody } from '../followup/task-bot.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { SIGNING_SECRET, postSlack, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0)) await c();
});

describe('npm start with Slack configured', () => {
  it('joins Slack and the work queue to the one server: cards, /oig, buttons; SIGTERM stops cleanly', async () => {
    const slack = await FakeSlack.start();
    cleanup.push(() => slack.close());
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const bot = await startProcess(dataDir, {
      SLACK_BOT_TOKEN: 'xoxb-wiring-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0WIRING01',
      OIG_ALLOWED_USERS: 'U0WIRED',
    });
    expect(bot.out()).toContain(`Slack                 on: http://127.0.0.1:${new URL(bot.url).port}/slack/events`);
    expect(bot.out()).not.toContain('local mode');

    expect((await postHook(bot.url, envelope([decideEvent({ decision: 'REVOKE', notes: 'wired' })]))).status).toBe(200);
    await eventually(() => expect(slack.posts('C0WIRING01')).toHaveLength(1), 10_000);

    const help = await postSlashCommand(bot.url, 'help');
    expect(help.status).toBe(200);
    expect(JSON.stringify(await help.json())).toContain('/oig revokes');

    // the work queue is wired too: a SKIPPED remediation is a task, listed by /oig skipped, claimable
    const item = 'iciiWired0001';
    await postHook(bot.url, envelope([decideEvent({ decision: 'REVOKE', item }), remediateEvent({ item, outcome: 'SKIPPED' })]));
    await eventually(() => expect(slack.posts().some((p) => JSON.stringify(p.body).includes('oig_manual_claim'))).toBe(true), 10_000);
    const skipped = await postSlashCommand(bot.url, 'skipped');
    const skippedText = JSON.stringify(await skipped.json());
    expect(skippedText).toContain('Jane Doe · Salesforce · Q3 Access Review · no owner');
    expect(skippedText).toContain('1 matched');
    const click = await postSlack(bot.url, clickBody('oig_manual_claim', `item:${item}`, { user: 'U0WIRED', responseUrl: slack.responseUrl('claim') }));
    expect(click.status).toBe(200);
    await eventually(() => expect(slack.updates().some((u) => JSON.stringify(u.body).includes('Claimed'))).toBe(true), 10_000);

    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);
  });
});
