/**
 * Microsoft Teams, wired (issue 7). The composition root calls `createTeams` when `config.teams` is set:
 *
 *   - POST /api/messages on the bot's one server: Bot Framework activities through TeamsTransport
 *     (bot-framework/transport.ts, the only botbuilder import), dispatched by turns/turn-handler.ts;
 *   - GET /teams/exports: the CSV downloads of `oig export …` (csv-exports.ts; in PostgreSQL with DATABASE_URL,
 *     so any replica serves them);
 *   - `sink` queues cards durably for every subscribed conversation; the same delivery core as Slack
 *     (src/delivery/chat-delivery.ts) posts them through Teams' transport (delivery/teams-chat.ts),
 *     honouring Teams' 429s per conversation.
 *
 * State in DATA_DIR/state/: teams-subscriptions.json (where cards go, with conversation references),
 * teams-outbox/ (cards not yet accepted by Teams) and teams-messages/ (which activity each card is, per
 * conversation, for threads and edits), journals of src/store/journal.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatCommandDeps, type ChatAdapter, type ChatAdapterDeps } from '../../src/delivery/chat-adapter.ts';
import { openChatDelivery, type DeliveryStatus } from '../../src/delivery/chat-delivery.ts';
import { PgStateStore } from '../../src/store/postgres/pg-state-store.ts';
import type { PacingOptions } from '../../src/delivery/delivery-loop.ts';
import { createBotFrameworkTransport, type TransportConfig } from './bot-framework/transport.ts';
import { CsvExports, EXPORT_PATH } from './csv-exports.ts';
import { teamsChat } from './delivery/teams-chat.ts';
import { messagesRoute } from './messages-route.ts';
import { PgActivityClaims } from './pg-activity-claims.ts';
import { Subscriptions } from './subscriptions.ts';
import type { TurnDeps } from './turns/teams-context.ts';

export type TeamsDeps = ChatAdapterDeps;

/** knobs for tests; production uses the defaults */
export interface TeamsTuning {
  pacing?: Partial<PacingOptions>;
  /** check Bot Framework tokens against this OpenID metadata and issuer instead of Microsoft's */
  tokenValidation?: TransportConfig['tokenValidation'];
  /** how long a button press may take before Teams gets a "the answer will follow" (default 4 s) */
  invokeBudgetMs?: number;
}

export interface TeamsStatus extends DeliveryStatus {
  auth: 'bot-framework' | 'disabled';
  subscriptions: number;
}

export type TeamsAdapter = ChatAdapter<TeamsStatus>;

export async function createTeams(deps: TeamsDeps, tuning: TeamsTuning = {}): Promise<TeamsAdapter> {
  const teams = deps.config.teams;
  if (!teams) throw new Error('createTeams needs Teams configured (TEAMS_APP_ID … or TEAMS_DEV_NO_AUTH=1)');
  const log = deps.log.child({ component: 'teams' });
  const authenticated = teams.appId !== undefined;
  if (!authenticated) {
    log.warn('TEAMS_DEV_NO_AUTH=1: /api/messages accepts activities without Bot Framework authentication. For local testing only: never expose this bot like that.');
  } else if (teams.devNoAuth) {
    log.warn('TEAMS_DEV_NO_AUTH is ignored: TEAMS_APP_ID is set, so Bot Framework authentication is on');
  }
  const bf = createBotFrameworkTransport(
    {
      ...(teams.appId ? { appId: teams.appId, appPassword: teams.appPassword, tenantId: teams.tenantId } : {}),
      ...(tuning.tokenValidation ? { tokenValidation: tuning.tokenValidation } : {}),
    },
    log,
  );

  const subscriptions = await Subscriptions.open(deps.state);
  const delivery = await openChatDelivery(teamsChat(bf, subscriptions), { state: deps.state, metrics: deps.metrics, log, pacing: tuning.pacing, postGate: deps.postGate, waitForLead: deps.waitForLead });
  const { outbox, problems } = delivery;
  const exports = await CsvExports.open(deps.state, log);

  const commands = chatCommandDeps(deps, outbox, problems);
  const turnDeps: TurnDeps = {
    subscriptions,
    exports,
    allowedUsers: deps.config.allowedUsers,
    ...(teams.tenantId ? { tenantId: teams.tenantId } : {}),
    ...(tuning.invokeBudgetMs !== undefined ? { invokeBudgetMs: tuning.invokeBudgetMs } : {}),
    log,
    ...(commands ? { commands } : {}),
    ...(deps.taskQueue ? { tasks: deps.taskQueue } : {}),
  };
  // several replicas on one database: a retry the load balancer sends elsewhere must not act twice
  const claims = deps.state instanceof PgStateStore ? new PgActivityClaims({ database: await deps.state.database(), log }) : undefined;
  deps.router.add('POST', '/api/messages', messagesRoute(bf, turnDeps, { authenticated, log, ...(claims ? { claims } : {}) }));
  deps.router.add('GET', EXPORT_PATH, (req: IncomingMessage, res: ServerResponse) => exports.route(req, res));

  return {
    sink: delivery.sink,
    lead: () => delivery.lead(),
    async start() {
      const subs = subscriptions.list().length;
      log.info({ subscriptions: subs }, subs ? 'Teams ready' : 'Teams ready; no conversation is subscribed yet: add the bot to a team or write "@OIG oig subscribe" in a channel');
      await delivery.start();
    },
    stop: () => delivery.stop(),
    status: () => ({
      auth: authenticated ? 'bot-framework' : 'disabled',
      subscriptions: subscriptions.list().length,
      ...delivery.status(),
    }),
    deliveryErrors: () => problems.list(),
    // Teams has no token check like Slack's auth.test: the credential is proved by the first call Teams
    // accepts. Ready unless Teams refused the bot's calls as unauthorized before any was accepted.
    ready() {
      const refused = problems.list().find((p) => p.scope === 'token');
      return refused && !delivery.loop.lastDeliveredAt ? { ok: false, why: `Teams credentials not accepted yet: ${refused.code}` } : { ok: true };
    },
  };
}
