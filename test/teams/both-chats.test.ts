/**
 * Slack and Teams at once, wired by src/compose.ts as `npm start` wires them: every card goes to both, and
 * `/oig stats` in either chat tells how delivery to both stands.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startComposedBot } from '../helpers/composed-bot.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { SIGNING_SECRET, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, botAddedToTeam, personalMessage, postActivity } from '../helpers/teams-activities.ts';
import { FAST as SLACK_FAST } from '../slack/slack-bot.ts';
import { FAST as TEAMS_FAST } from './teams-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('Slack and Teams together', () => {
  it('posts every card to both; /oig stats in each chat shows a problem of the other', async () => {
    const slack = await FakeSlack.start();
    const teams = await FakeTeams.start();
    cleanup.push(() => slack.close(), () => teams.close());
    const running = await startComposedBot(
      { SLACK_BOT_TOKEN: 'xoxb-both-0000', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, SLACK_CHANNEL: 'C0BOTH0001', TEAMS_DEV_NO_AUTH: '1' },
      { slackTuning: SLACK_FAST, teamsTuning: TEAMS_FAST },
    );
    cleanup.push(() => running.stop(true));
    const { app, url } = running;
    expect(app.localMode).toBe(false);

    await postActivity(url, botAddedToTeam({ serviceUrl: teams.url }));
    await postHook(url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiBoth00001' })]));
    await eventually(() => expect(slack.posts('C0BOTH0001')).toHaveLength(1));
    await teams.waitFor((s) => s.kind === 'send' && s.conversationId === TEAM_ID && JSON.stringify(s.activity).includes('Access certification decision'));

    // Teams refuses the bot in its channel: Slack's /oig stats says so, and so does Teams'
    teams.failConversation(TEAM_ID, { status: 403, code: 'BotNotInConversationRoster' });
    await postHook(url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiBoth00002' })]));
    await eventually(() => expect(app.teams!.status().problems).toHaveLength(1));
    const stats = JSON.stringify(await (await postSlashCommand(url, 'stats')).json());
    expect(stats).toContain('Teams: BotNotInConversationRoster');
    // the Teams card waits (the Slack one may still be on its way)
    expect(stats).toMatch(/Outbox: [12] waiting, 1 delivery problem/);
    await postActivity(url, personalMessage({ serviceUrl: teams.url, text: 'oig stats', from: ALICE }));
    expect(JSON.stringify(teams.sent().at(-1)!.activity)).toContain('Teams: BotNotInConversationRoster');
  });
});
