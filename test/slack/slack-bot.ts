/**
 * A real Bot wired with the real Slack adapter (Bolt, outbox, delivery loop) against a FakeSlack, the way
 * the composition root wires them, with short pacing and retry delays so tests stay fast.
 */
import { pino, type Logger } from 'pino';
import type { SlackAdapter, SlackTuning } from '../../adapters/slack/index.ts';
import type { Bot } from '../../src/app.ts';
import type { FollowUp } from '../../src/followup/index.ts';
import { startComposedBot } from '../helpers/composed-bot.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { SIGNING_SECRET } from '../helpers/slack-requests.ts';

export const CERT = 'C0CERT0001';
export const MANUAL = 'C0MANUAL01';
export const REQUESTS = 'C0REQUEST1';
export const BOT_TOKEN = 'xoxb-test-0000-fake-token';

/** fast pacing for tests: 40 ms between calls on a channel, retries after 30 ms */
export const FAST: SlackTuning = {
  pacing: { intervalMs: 40, backoffBaseMs: 30, backoffMaxMs: 200, parkMs: 300 },
  timeoutMs: 2000,
};

export interface SlackBot {
  bot: Bot;
  slack: SlackAdapter;
  /** the work queue, wired as src/main.ts wires it, when asked for (`followUp: true`) */
  followUp?: FollowUp;
  url: string;
  dataDir: string;
  stop(removeData?: boolean): Promise<void>;
}

export interface SlackBotOptions {
  env?: Record<string, string>;
  /** silent unless given (pass one that captures lines to check what is logged) */
  log?: Logger;
  dataDir?: string;
  tuning?: SlackTuning;
  /** wire the manual-remediation work queue (buttons, /oig skipped) as src/main.ts does */
  followUp?: boolean;
}

export async function startSlackBot(fake: FakeSlack, o: SlackBotOptions = {}): Promise<SlackBot> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    SLACK_CHANNEL: CERT,
    SLACK_CHANNEL_MANUAL: MANUAL,
    SLACK_CHANNEL_ACCESS_REQUEST: REQUESTS,
    ...o.env,
  };
  const { app, url, dataDir, stop } = await startComposedBot(env, {
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    ...(o.log ? { log: o.log } : {}),
    followUp: o.followUp === true,
    slackTuning: { ...FAST, ...o.tuning },
  });
  return { bot: app.bot, slack: app.slack!, ...(app.followUp ? { followUp: app.followUp } : {}), url, dataDir, stop };
}

/** a logger that keeps every line it writes, parsed */
export function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

/** all text of a recorded message (fallback text and blocks), for "does it say …" checks */
export function textOf(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}
