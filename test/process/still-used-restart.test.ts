/**
 * "Revoked but still used" across real process boundaries: the bot (`src/main.ts`) with Slack against the
 * fake Slack and the ASA poller against the fake ASA. A REVOKE is carded; then the revoked person's ASA
 * login arrives and the bot is stopped (kill -9, or SIGTERM) at the moments the reply depends on:
 *   - right after the use is stored, with Slack down, so the reply cannot have been posted;
 *   - before the use is stored at all: `npm run asa -- poll` stores it while the bot is down, and only the
 *     restarted bot routes it, with the routing stage's state rebuilt from the log (the REVOKE is behind the
 *     routing cursor by then).
 * Either way the reply is posted exactly once after the restart, in the decision card's thread.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, startProcess, stopProcesses, type BotProcess } from '../helpers/bot-process.ts';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { FakeSlack, type FakeMessage } from '../helpers/fake-slack.ts';
import { decideEvent, envelope, GROUP } from '../helpers/okta-events.ts';
import { SIGNING_SECRET } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0).reverse()) await c();
});

const CERT = 'C0CERTSTILL';

async function storedAsa(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/oig_events_stored_total\{family="asa"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/** a bot with a carded REVOKE of Jane Doe's group, and a way to add her ASA login after it */
async function revoked(): Promise<{
  slack: FakeSlack;
  env: Record<string, string>;
  dataDir: string;
  bot: BotProcess;
  decision: FakeMessage;
  janeLogsIn: () => void;
  stillUsed: () => FakeMessage[];
}> {
  const slack = await FakeSlack.start();
  const startAt = Date.now() - 30_000;
  const asa = await FakeAsa.start({ startAt });
  const dataDir = await makeDataDir();
  cleanup.push(() => slack.close(), () => asa.close(), () => rm(dataDir, { recursive: true, force: true }));
  const web = asa.serverObject('web-01', 'prod');
  // the fake's events are a second apart from startAt: this first one (someone else's) comes before the revoke
  asa.addEvent({ actor: asa.user('bob'), target_server: web, type: 'server.ssh_login' });
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-still-used', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, SLACK_CHANNEL: CERT,
    ...asa.env(), ASA_POLL_CRON: '* * * * * *',
  };
  const bot = await startProcess(dataDir, env);
  expect((await postHook(bot.url, envelope([decideEvent({ item: 'icii1stillUsedProc1', resource: GROUP, published: new Date(startAt + 500) })]))).status).toBe(200);
  await eventually(() => expect([...slack.messages.values()].some((m) => m.text.includes('Access revoked'))).toBe(true), 10_000);
  // the post recorded as done (its message reference written): a kill -9 between Slack's answer and that
  // write may repeat the post (the one allowed repeat), and the reply would then thread on the repeat
  await eventually(async () => expect(await (await fetch(`${bot.url}/metrics`)).text()).toMatch(/^oig_queue_depth 0$/m), 10_000);
  return {
    slack, env, dataDir, bot,
    decision: [...slack.messages.values()].find((m) => m.text.includes('Access revoked'))!,
    // a second or more after startAt: after the revoke (startAt + 0.5 s)
    janeLogsIn: () => void asa.addEvent({ actor: asa.user('jane.doe'), target_server: web, type: 'server.ssh_login' }),
    stillUsed: () => [...slack.messages.values()].filter((m) => m.text.includes('Revoked but still used')),
  };
}

async function postedOnceInThread(r: Awaited<ReturnType<typeof revoked>>): Promise<void> {
  await eventually(() => expect(r.stillUsed()).toHaveLength(1), 15_000);
  expect(r.stillUsed()[0]!.threadTs).toBe(r.decision.ts);
  // and it stays one once the restart has settled
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(r.stillUsed()).toHaveLength(1);
}

describe.each(['SIGKILL', 'SIGTERM'] as const)('revoked but still used, the bot stopped with %s', (signal) => {
  it('posts the reply once after the restart when the bot stopped right after storing the use (Slack down)', async () => {
    const r = await revoked();
    await r.slack.down('503');
    const before = await storedAsa(r.bot.url);
    r.janeLogsIn();
    await eventually(async () => expect(await storedAsa(r.bot.url)).toBeGreaterThan(before), 10_000);
    r.bot.child.kill(signal);
    await exited(r.bot.child);
    expect(r.stillUsed()).toHaveLength(0);

    await r.slack.up();
    await startProcess(r.dataDir, r.env);
    await postedOnceInThread(r);
  });

  it('posts the reply once when the use was stored while the bot was down and is routed only after the restart', async () => {
    const r = await revoked();
    r.bot.child.kill(signal);
    await exited(r.bot.child);
    r.janeLogsIn();
    const poll = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/tools/asa.ts', 'poll'], {
      env: { PATH: process.env.PATH, DATA_DIR: r.dataDir, LOG_LEVEL: 'warn', ...r.env },
      timeout: 20_000,
    });
    expect(poll.stdout).toMatch(/stored/);
    expect(r.stillUsed()).toHaveLength(0);

    await startProcess(r.dataDir, r.env);
    await postedOnceInThread(r);
  });
});
