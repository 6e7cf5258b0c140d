import type { StateStore } from '../store/state-store.ts';
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { Config } from '../config/config.ts';
import { createHttpAgent } from '../http-client/agent.ts';
import { HttpClient, type HttpClientOptions } from '../http-client/http-client.ts';
import { OktaApi } from '../okta/okta-api.ts';
import { OktaReader } from '../okta/okta-reader.ts';
import type { OktaConnection } from '../okta/okta-auth.ts';
import { startReminders } from './reminders.ts';
import { WorkQueue } from './work-queue.ts';

export interface FollowUp {
  queue: WorkQueue;
  stop(): Promise<void>;
}

/**
 * The manual-remediation work queue, assembled (SPEC §4, §5): routing (src/route/routing.ts) hands it newly
 * stored remediations, from which it opens tasks, publishes card changes to the chat sinks, asks Okta on
 * "Verify" and in the background (why a task was skipped, drift after VERIFY_AFTER) when the Okta API is
 * configured, and reminds of overdue tasks on REMINDER_CRON. Chat adapters hand it button
 * presses (`queue.press`); /oig reads it as a TaskSource.
 */
export interface FollowUpDeps {
  config: Config;
  /** where the tasks and their audit trail are kept (the bot's StateStore) */
  state: StateStore;
  publish: (cards: Card[]) => void;
  log: Logger;
  /** the Okta API connection (compose.ts makes one for the whole bot); without it Verify says what to configure */
  okta?: OktaConnection;
  /** whether this replica leads: reminders and background checks run on the leading one only (default: always) */
  leading?: () => boolean;
  /** retry settings for the Okta calls (tests shorten them) */
  http?: Omit<HttpClientOptions, 'dispatcher' | 'log'>;
}

export async function startFollowUp(deps: FollowUpDeps): Promise<FollowUp> {
  const { config, log, publish } = deps;
  const agent = deps.okta ? createHttpAgent() : undefined;
  const okta = deps.okta && agent ? new OktaApi(new OktaReader(deps.okta, new HttpClient({ ...deps.http, dispatcher: agent, log }))) : undefined;
  const queue = await WorkQueue.open({
    state: deps.state,
    allowedUsers: config.allowedUsers,
    publish,
    retentionDays: config.retentionDays,
    log: log.child({ component: 'work-queue' }),
    ...(deps.leading ? { leading: deps.leading } : {}),
    ...(okta ? { okta, verifyAfterMs: config.verifyAfterMs } : {}),
  });
  const reminders = startReminders({ cron: config.reminderCron, source: queue, publish, log, ...(deps.leading ? { leading: deps.leading } : {}) });
  return {
    queue,
    async stop() {
      await reminders.destroy();
      await queue.stop();
      // a check stalled on Okta is dropped, not waited for: it is owed on disk and redone at the next start
      await agent?.destroy();
    },
  };
}
