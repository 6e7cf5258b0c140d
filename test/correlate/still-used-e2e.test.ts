/**
 * "Revoked but still used" through a real bot: the REVOKE arrives on the Okta hook, ASA activity from the
 * fake ASA through the real poller, cards through the real Slack adapter into the fake Slack, `/oig` as
 * signed slash commands. Then a restart on the same DATA_DIR: the flags come back, no second card.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { user } from '../../src/commands/user.ts';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { FakeSlack, type FakeMessage } from '../helpers/fake-slack.ts';
import { decideEvent, envelope, GROUP, PRINCIPAL } from '../helpers/okta-events.ts';
import { postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, postHook, startBot } from '../helpers/start-bot.ts';
import { CERT, startSlackBot, type SlackBot } from '../slack/slack-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const ITEM = 'icii1stillUsedItem01';
/** the ASA poller every second, so the test does not wait for the default five minutes */
const POLL_EVERY_SECOND = '* * * * * *';

const stillUsedMessages = (slack: FakeSlack): FakeMessage[] => [...slack.messages.values()].filter((m) => m.text.includes('Revoked but still used'));

async function oig(bot: SlackBot, words: string): Promise<string> {
  const res = await postSlashCommand(bot.url, words);
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

describe('revoked but still used, end to end', () => {
  it('flags an ASA login after the revoke in the decision thread, in /oig user and /oig stats, edits it on a repeat, and survives a restart', async () => {
    const slack = await FakeSlack.start();
    // fresh events (not history): the first one happened 30 s ago
    const startAt = Date.now() - 30_000;
    const asa = await FakeAsa.start({ startAt });
    cleanup.push(() => slack.close(), () => asa.close());
    const env = { ...asa.env(), ASA_POLL_CRON: POLL_EVERY_SECOND };
    let bot = await startSlackBot(slack, { env });
    cleanup.push(() => bot.stop(true));

    // Jane Doe (jane.doe@example.com) loses Finance Admins half a second after the fake's first event
    const hook = await postHook(bot.url, envelope([decideEvent({ item: ITEM, resource: GROUP, published: new Date(startAt + 500) })]));
    expect(hook.status).toBe(200);
    await eventually(() => expect([...slack.messages.values()].some((m) => m.text.includes('Access revoked'))).toBe(true), 10_000);
    const decisionMessage = [...slack.messages.values()].find((m) => m.text.includes('Access revoked'))!;

    const jane = asa.user('jane.doe');
    const bob = asa.user('bob');
    const web = asa.serverObject('web-01', 'prod');
    const loginBy = (actor: string) => asa.addEvent({ actor, target_server: web, type: 'server.ssh_login' });
    loginBy(jane); // startAt: before the revoke
    loginBy(bob); // after it, someone else
    loginBy(jane); // after it: still used

    await eventually(() => expect(stillUsedMessages(slack)).toHaveLength(1), 10_000);
    const reply = stillUsedMessages(slack)[0]!;
    expect(reply.channel).toBe(CERT);
    expect(reply.threadTs).toBe(decisionMessage.ts);
    const replyText = JSON.stringify(reply.blocks);
    expect(replyText).toContain('jane.doe (status ACTIVE) logged in to web-01 (project prod)');
    expect(replyText).toContain('by name only');
    expect(replyText).toContain('local part of jane.doe@example.com');
    expect(replyText).toContain('once');

    const timeline = await oig(bot, `user ${PRINCIPAL.login}`);
    expect(timeline).toContain('Revoked but still used: Finance Admins');
    expect(timeline).toContain('1 use(s) of ASA/OPA since');
    expect(timeline).toContain('still used after the revoke of Finance Admins');
    expect(await oig(bot, 'stats')).toContain('Revoked but still used: 1 revoke(s), 1 use(s) after the revoke (0 strong)');

    // a repeat edits the reply in place with a count
    loginBy(jane);
    await eventually(() => expect(JSON.stringify(stillUsedMessages(slack)[0]!.blocks)).toContain('2 times'), 10_000);
    expect(stillUsedMessages(slack)).toHaveLength(1);
    expect(stillUsedMessages(slack)[0]!.edits).toBeGreaterThanOrEqual(1);

    // a restart on the same DATA_DIR: the same flags, no second card
    const posts = slack.posts().length;
    const dataDir = bot.dataDir;
    await bot.stop();
    bot = await startSlackBot(slack, { env, dataDir });
    await bot.bot.idle();
    expect(await oig(bot, 'stats')).toContain('Revoked but still used: 1 revoke(s), 2 use(s) after the revoke (0 strong)');
    expect(await oig(bot, `user ${PRINCIPAL.login}`)).toContain('2 use(s) of ASA/OPA since');
    // one more use after the restart still edits the same message
    loginBy(jane);
    await eventually(() => expect(JSON.stringify(stillUsedMessages(slack)[0]!.blocks)).toContain('3 times'), 10_000);
    expect(stillUsedMessages(slack)).toHaveLength(1);
    expect(slack.posts().length).toBe(posts + 1); // the new login's own ASA card; nothing else
  }, 60_000);

  it('flags history in /oig but posts no card for it', async () => {
    // the fake's events start two days ago: history on arrival (src/intake/history.ts)
    const asa = await FakeAsa.start();
    cleanup.push(() => asa.close());
    const running = await startBot({ ...asa.env(), ASA_POLL_CRON: POLL_EVERY_SECOND });
    cleanup.push(() => running.stop(true));
    const hook = await postHook(running.url, envelope([decideEvent({ item: ITEM, resource: GROUP, published: new Date(Date.now() - 3 * 86_400_000) })]));
    expect(hook.status).toBe(200);
    asa.addEvent({ actor: asa.user('jane.doe'), target_server: asa.serverObject('web-01', 'prod'), type: 'server.ssh_login' });

    await eventually(() => expect(running.bot.stillUsed.totals()).toMatchObject({ uses: 1, history: 1 }), 10_000);
    await running.bot.idle();
    expect(running.sink.cards.filter((c) => c.kind === 'still_used')).toEqual([]);
    expect(running.sink.cards.some((c) => c.kind === 'catch_up')).toBe(true);
    const answer = user({ kind: 'user', name: PRINCIPAL.login }, { store: running.bot.store, stillUsed: running.bot.stillUsed });
    expect(answer.summary.join('\n')).toContain('Revoked but still used: Finance Admins');
    expect(answer.rows.some((r) => r.cells[1] === 'still_used')).toBe(true);
  }, 30_000);

  it('a revoke folded into a campaign digest (no card of its own) still gets its card, in the certification channel', async () => {
    const slack = await FakeSlack.start();
    const startAt = Date.now() - 30_000;
    const asa = await FakeAsa.start({ startAt });
    cleanup.push(() => slack.close(), () => asa.close());
    const bot = await startSlackBot(slack, { env: { ...asa.env(), ASA_POLL_CRON: POLL_EVERY_SECOND } });
    cleanup.push(() => bot.stop(true));

    // a campaign closing: 11 revokes at once (over the digest threshold of 10), Jane's among them, just
    // before the fake's first ASA event
    const others = Array.from({ length: 10 }, (_, i) => decideEvent({
      item: `icii1digestItem${String(i).padStart(4, '0')}`,
      resource: GROUP,
      principal: { id: `00u1other${i}`, name: `Other ${i}`, login: `other${i}@example.com` },
      published: new Date(startAt - 1000),
    }));
    const hook = await postHook(bot.url, envelope([decideEvent({ item: ITEM, resource: GROUP, published: new Date(startAt - 1000) }), ...others]));
    expect(hook.status).toBe(200);
    await eventually(() => expect([...slack.messages.values()].some((m) => m.channel === CERT && m.text.includes('Campaign digest') && m.text.includes('Events collected: 11'))).toBe(true), 10_000);
    expect([...slack.messages.values()].filter((m) => m.text.includes('Access revoked'))).toEqual([]);

    asa.addEvent({ actor: asa.user('jane.doe'), target_server: asa.serverObject('web-01', 'prod'), type: 'server.ssh_login' });
    await eventually(() => expect(stillUsedMessages(slack)).toHaveLength(1), 10_000);
    const card = stillUsedMessages(slack)[0]!;
    expect(card.channel).toBe(CERT);
    expect(card.threadTs).toBeUndefined();
    expect(JSON.stringify(card.blocks)).toContain('Jane Doe');
  }, 30_000);
});
