/**
 * A real Bot + real Slack adapter (test/slack/slack-bot.ts) with the work queue wired the way the
 * composition root will: intake → queue, queue cards → the Slack sink, and the real Bolt App with the
 * task button listeners (adapters/slack/actions) on its own local server, because the adapter's Bolt app
 * still has the placeholder listener until the lead wires registerTaskActions into it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { pino } from 'pino';
import { registerTaskActions } from '../../adapters/slack/actions/register-actions.ts';
import { boltLogger } from '../../adapters/slack/bolt/bolt-logger.ts';
import { loadConfig } from '../../src/config/config.ts';
import { WorkQueue } from '../../src/followup/work-queue.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { OktaApi } from '../../src/okta/okta-api.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { SIGNING_SECRET } from '../helpers/slack-requests.ts';
import { BOT_TOKEN, startSlackBot, type SlackBot } from '../slack/slack-bot.ts';

export interface TaskBot {
  sb: SlackBot;
  queue: WorkQueue;
  /** base URL of the Bolt app with the button listeners (postSlack appends /slack/events) */
  actionsUrl: string;
  stop(removeData?: boolean): Promise<void>;
}

export interface TaskBotOptions {
  /** OIG_ALLOWED_USERS, OKTA_ORG_URL, OKTA_API_TOKEN … */
  env?: Record<string, string>;
  dataDir?: string;
}

export async function startTaskBot(fake: FakeSlack, o: TaskBotOptions = {}): Promise<TaskBot> {
  const sb = await startSlackBot(fake, { ...(o.env ? { env: o.env } : {}), ...(o.dataDir ? { dataDir: o.dataDir } : {}) });
  const config = loadConfig({ DATA_DIR: sb.dataDir, ...o.env });
  const log = pino({ level: 'silent' });
  const okta = config.okta
    ? new OktaApi(config.okta.orgUrl, config.okta.apiToken, new HttpClient({ dispatcher: createHttpAgent(), maxAttempts: 2, baseDelayMs: 10 }))
    : undefined;
  const queue = await WorkQueue.open({
    dataDir: sb.dataDir,
    allowedUsers: config.allowedUsers,
    publish: (cards) => void sb.slack.sink.deliver(cards),
    ...(okta ? { okta } : {}),
    log,
  });
  sb.bot.intake.onStored((records) => queue.onStored(records));

  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logger: boltLogger(log) });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: BOT_TOKEN, botId: 'B0OIGBOT', botUserId: 'U0OIGBOT' }),
    clientOptions: { slackApiUrl: fake.url },
    logger: boltLogger(log),
  });
  registerTaskActions(app, { queue, allowedUsers: config.allowedUsers, log });
  const server: Server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    sb,
    queue,
    actionsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop(removeData = false) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sb.stop(removeData);
    },
  };
}

export interface ClickOptions {
  user?: string;
  /** Slack's handle of the user */
  name?: string;
  responseUrl: string;
  channel?: string;
  ts?: string;
}

/** the form body Slack posts for a button click: field `payload`, a block_actions payload as JSON */
export function clickBody(actionId: string, value: string, o: ClickOptions): string {
  const user = o.user ?? 'U0ALICE';
  const channel = o.channel ?? 'C0MANUAL01';
  const ts = o.ts ?? '1700000000.000100';
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: o.name ?? user.toLowerCase(), name: o.name ?? user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0OIG',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: channel, name: 'oig-manual' },
    message: { type: 'message', ts, text: 'Manual remediation needed' },
    response_url: o.responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'actions', value, action_ts: '1700000001.000200', text: { type: 'plain_text', text: 'x' } }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
