/**
 * The Bolt 5 app, in one of two transports (SPEC §2):
 *
 *   HTTP (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET): an HTTPReceiver that never listens itself; its request
 *   listener is mounted on the bot's one server at POST /slack/events. With a receiver, the signing secret
 *   and processBeforeResponse belong on the receiver: the App's own options are ignored (STACK-NOTES).
 *   processBeforeResponse stays false so `ack()` answers Slack at once, well inside its 3 s.
 *
 *   Socket Mode (SLACK_APP_TOKEN): a SocketModeReceiver opens a WebSocket to Slack; no public URL.
 *
 * The App gets an `authorize` function instead of a token. Given a token, Bolt calls auth.test while it is
 * constructed and keeps a failed answer forever (a Slack hiccup at start would break every command until a
 * restart); this function answers from the identity the adapter learned from its own auth.test, at no cost
 * per request, and asks again in the background when it does not know it yet.
 */
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type AuthorizeResult, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import type { TaskActionDeps } from '../actions/register-actions.ts';
import type { HomeSurface } from '../home/home-tab.ts';
import type { Config } from '../../../src/config/config.ts';
import type { Identity } from '../delivery/slack-api.ts';
import { registerListeners } from './listeners.ts';

type SlackConfig = NonNullable<Config['slack']>;

/** Slack's payloads are small (a block_actions payload repeats the message: tens of KiB at most) */
export const SLACK_BODY_LIMIT = 1024 * 1024;

export type BoltSetup = { mode: 'http'; app: App; listener: RequestListener } | { mode: 'socket'; app: App };

export interface BoltOptions {
  slack: SlackConfig;
  log: Logger;
  logger: SlackLogger;
  /** the bot's identity once known; `refresh` asks Slack again (in the background) */
  identity: () => Identity | undefined;
  refreshIdentity: () => void;
  /** what `/oig` answers from (store, work queue, status); without it only the help answers */
  commands?: CommandDeps;
  /** the manual-remediation buttons' work queue */
  taskActions?: TaskActionDeps;
  /** the Home tab (app_home_opened, presses from it) */
  home?: HomeSurface;
}

export function createBoltApp(o: BoltOptions): BoltSetup {
  const { slack } = o;
  const authorize = async (): Promise<AuthorizeResult> => {
    const id = o.identity();
    if (!id?.botUserId) o.refreshIdentity();
    return {
      botToken: slack.botToken,
      ...(id?.botId ? { botId: id.botId } : {}),
      ...(id?.botUserId ? { botUserId: id.botUserId } : {}),
      ...(id?.teamId ? { teamId: id.teamId } : {}),
    };
  };
  const clientOptions = { slackApiUrl: slack.apiUrl };

  if (slack.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: o.logger,
      // apps.connections.open goes to SLACK_API_URL too (tests point it at a fake)
      installerOptions: { clientOptions },
    });
    const app = new App({ receiver, socketMode: true, authorize, clientOptions, logger: o.logger });
    registerListeners(app, o.log, o.commands, o.taskActions, o.home);
    return { mode: 'socket', app };
  }

  if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP'); // config ensures it
  const receiver = new HTTPReceiver({
    signingSecret: slack.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logger: o.logger,
    bodyLimit: SLACK_BODY_LIMIT,
  });
  const app = new App({ receiver, authorize, clientOptions, logger: o.logger });
  registerListeners(app, o.log, o.commands, o.taskActions, o.home);
  return { mode: 'http', app, listener: receiver.requestListener };
}
