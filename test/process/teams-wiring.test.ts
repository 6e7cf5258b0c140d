import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';
import { ALICE, TEAM_ID, adaptiveCardAction, botAddedToTeam, personalMessage, postActivity } from '../helpers/teams-activities.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0)) await c();
});

describe('npm start with Teams configured (TEAMS_DEV_NO_AUTH=1)', () => {
  it('joins Teams and the work queue to the one server: subscription, cards, commands, buttons; SIGTERM stops cleanly', async () => {
    const teams = await FakeTeams.start();
    cleanup.push(() => teams.close());
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const bot = await startProcess(dataDir, { TEAMS_DEV_NO_AUTH: '1', OIG_ALLOWED_USERS: ALICE.aadObjectId });
    expect(bot.out()).toContain(`Teams                 on: http://127.0.0.1:${new URL(bot.url).port}/api/messages WITHOUT Bot Framework auth`);
    expect(bot.out()).not.toContain('local mode');
    await eventually(() => expect(bot.out()).toContain('TEAMS_DEV_NO_AUTH=1: /api/messages accepts activities without Bot Framework authentication'), 5000);

    expect((await postActivity(bot.url, botAddedToTeam({ serviceUrl: teams.url }))).status).toBe(200);
    const item = 'iciiTeamsWire1';
    await postHook(bot.url, envelope([decideEvent({ decision: 'REVOKE', item }), remediateEvent({ item, outcome: 'SKIPPED' })]));
    const task = await teams.waitFor((s) => s.kind === 'send' && s.conversationId === TEAM_ID && JSON.stringify(s.activity).includes('oig_manual_claim'), 10_000);

    await postActivity(bot.url, personalMessage({ serviceUrl: teams.url, text: 'oig skipped', from: ALICE }));
    expect(JSON.stringify(teams.sent().at(-1)!.activity)).toContain('1 matched');

    const press = await postActivity(bot.url, adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_manual_claim', data: { taskId: `item:${item}` }, replyToId: task.activityId }));
    expect(JSON.stringify(press.body)).toContain('oig_manual_reopen');

    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);
  });
});
