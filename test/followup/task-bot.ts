/**
 * A real Bot + real Slack adapter (test/slack/slack-bot.ts) with the work queue wired the way src/main.ts
 * wires it: intake → queue, queue cards → the Slack sink, button clicks → the adapter's own Bolt app at
 * /slack/events.
 */
import type { WorkQueue } from '../../src/followup/work-queue.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { startSlackBot, type SlackBot } from '../slack/slack-bot.ts';

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
  const sb = await startSlackBot(fake, { ...(o.env ? { env: o.env } : {}), ...(o.dataDir ? { dataDir: o.dataDir } : {}), followUp: true });
  return { sb, queue: sb.followUp!.queue, actionsUrl: sb.url, stop: (removeData = false) => sb.stop(removeData) };
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
