import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { SIGNING_SECRET, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0)) await c();
});

describe('npm start with Slack configured', () => {
  it('joins Slack to the one server: a REVOKE delivery reaches the channel, /oig help is answered, SIGTERM stops cleanly', async () => {
    const slack = await FakeSlack.start();
    cleanup.push(() => slack.close());
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const bot = await startProcess(dataDir, {
      SLACK_BOT_TOKEN: 'xoxb-wiring-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0WIRING01',
    });
    expect(bot.out()).toContain(`Slack                 on: http://127.0.0.1:${new URL(bot.url).port}/slack/events`);
    expect(bot.out()).not.toContain('local mode');

    expect((await postHook(bot.url, envelope([decideEvent({ decision: 'REVOKE', notes: 'wired' })]))).status).toBe(200);
    await eventually(() => expect(slack.posts('C0WIRING01')).toHaveLength(1), 10_000);

    const help = await postSlashCommand(bot.url, 'help');
    expect(help.status).toBe(200);
    expect(JSON.stringify(await help.json())).toContain('/oig revokes');

    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);
  });
});
