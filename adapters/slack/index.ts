/**
 * Slack, wired (issue 3). The composition root calls `createSlack` when `config.slack` is set:
 *
 *   - Bolt joins the bot's one server at POST /slack/events (HTTP) or connects over Socket Mode;
 *   - `sink` is the CardSink the dispatcher hands cards to: they are queued durably in the outbox, and the
 *     delivery core (src/delivery/chat-delivery.ts) sends them through Slack's transport (delivery/slack-chat.ts);
 *   - `start()` checks the token (auth.test) and starts the paced delivery loop;
 *   - `status()` is what `/oig stats` will show: outbox, lanes, and the problems that need a person;
 *   - with a work queue, the Home tab (home/) lists its open tasks for whoever opens it, with their buttons.
 *
 * State lives in DATA_DIR/state/: slack-outbox/ (cards not yet accepted by Slack) and
 * slack-messages/ (which message each card key is, for threads and edits), journals of src/store/journal.ts.
 */
import { chatCommandDeps, type ChatAdapter, type ChatAdapterDeps } from '../../src/delivery/chat-adapter.ts';
import { boltLogger } from './bolt/bolt-logger.ts';
import { createBoltApp } from './bolt/bolt-app.ts';
import { guardSlackRequests } from './bolt/request-guard.ts';
import { openChatDelivery, type DeliveryStatus } from '../../src/delivery/chat-delivery.ts';
import type { PacingOptions } from '../../src/delivery/delivery-loop.ts';
import { authTest, deliveryClient, type Identity } from './delivery/slack-api.ts';
import { slackChat } from './delivery/slack-chat.ts';
import { HomeTab, type HomeTuning } from './home/home-tab.ts';

export type SlackDeps = ChatAdapterDeps;

/** knobs for tests and the benchmark; production uses the defaults */
export interface SlackTuning {
  pacing?: Partial<PacingOptions>;
  /** Web API call timeout, ms (default 10 s) */
  timeoutMs?: number;
  /** clock for the request guard */
  now?: () => number;
  /** while the token is not accepted, /readyz checks it again at most this often (default 30 s) */
  tokenRecheckMs?: number;
  /** the Home tab's pace (home/home-tab.ts) */
  home?: Partial<HomeTuning>;
}

export interface SlackStatus extends DeliveryStatus {
  mode: 'http' | 'socket';
  /** who the token belongs to, once auth.test answered */
  identity?: Identity;
}

export type SlackAdapter = ChatAdapter<SlackStatus>;

export async function createSlack(deps: SlackDeps, tuning: SlackTuning = {}): Promise<SlackAdapter> {
  const slack = deps.config.slack;
  if (!slack) throw new Error('createSlack needs Slack configured (SLACK_BOT_TOKEN)');
  const log = deps.log.child({ component: 'slack' });
  const logger = boltLogger(log);
  const client = deliveryClient({ token: slack.botToken, apiUrl: slack.apiUrl, logger, ...(tuning.timeoutMs ? { timeoutMs: tuning.timeoutMs } : {}) });
  const delivery = await openChatDelivery(slackChat(client, slack.channels), { state: deps.state, metrics: deps.metrics, log, pacing: tuning.pacing, postGate: deps.postGate, waitForLead: deps.waitForLead });
  const { outbox, problems, loop } = delivery;

  let identity: Identity | undefined;
  let checking: Promise<void> | undefined;
  // for /readyz: why auth.test has not accepted the token yet, and when it was last asked
  let notAccepted: string | undefined;
  let checkedAt = 0;
  const checkToken = (): Promise<void> =>
    (checking ??= ((checkedAt = Date.now()), authTest(client)).then((auth) => {
      checking = undefined;
      notAccepted = auth.ok ? undefined : auth.failure.kind === 'rate_limited' ? 'rate_limited' : auth.failure.code;
      if (auth.ok) {
        identity = auth.identity;
        log.info({ team: identity.team, bot: identity.botUserId }, 'Slack token accepted');
      } else if (auth.failure.kind === 'token') {
        problems.block('token', auth.failure.code);
        loop.holdForToken();
      } else {
        log.warn({ code: auth.failure.kind === 'rate_limited' ? 'rate_limited' : auth.failure.code }, 'could not check the Slack token now; cards stay queued until Slack answers');
      }
    }));

  const commands = chatCommandDeps(deps, outbox, problems);
  const taskActions = deps.taskQueue ? { queue: deps.taskQueue, allowedUsers: deps.config.allowedUsers, log } : undefined;
  // the Home tab lists the work queue; published through the delivery's client (same token, URL and 429 rule)
  const tasks = deps.commands?.tasks;
  const home = tasks ? await HomeTab.open({ client, tasks, state: deps.state, log, ...(tuning.home ? { tuning: tuning.home } : {}) }) : undefined;
  const bolt = createBoltApp({
    slack,
    log,
    logger,
    identity: () => identity,
    refreshIdentity: () => void checkToken(),
    ...(commands ? { commands } : {}),
    ...(taskActions ? { taskActions } : {}),
    ...(home ? { home } : {}),
  });
  if (bolt.mode === 'http') {
    deps.router.add('POST', '/slack/events', guardSlackRequests(bolt.listener, { log, ...(tuning.now ? { now: tuning.now } : {}) }));
  }

  return {
    sink: delivery.sink,
    lead: () => delivery.lead(),
    async start() {
      await checkToken();
      await delivery.start();
      if (bolt.mode === 'socket') {
        // not awaited: Socket Mode retries its connection for a long time, and delivery must not wait for it
        bolt.app.start().then(
          () => log.info('Slack Socket Mode connected'),
          (err: unknown) => log.error({ err }, 'Slack Socket Mode could not connect: check SLACK_APP_TOKEN (an xapp- token with connections:write)'),
        );
      }
    },
    async stop() {
      await home?.stop();
      await delivery.stop();
      if (bolt.mode === 'socket') await bolt.app.stop().catch((err: unknown) => log.warn({ err }, 'Slack Socket Mode did not stop cleanly'));
    },
    status: () => ({
      mode: bolt.mode,
      ...(identity ? { identity } : {}),
      ...delivery.status(),
    }),
    deliveryErrors: () => problems.list(),
    // ready once auth.test accepted the token (a later refusal shows in /oig stats, not here: taking this
    // replica out of the load balancer would cost Okta's hook deliveries, which do not need Slack)
    ready() {
      if (identity) return { ok: true };
      if (!checking && Date.now() - checkedAt >= (tuning.tokenRecheckMs ?? 30_000)) void checkToken();
      return { ok: false, why: notAccepted ? `Slack token not accepted yet: ${notAccepted}` : 'Slack token not checked yet' };
    },
  };
}

export type { DeliveryProblem } from '../../src/delivery/delivery-problems.ts';
