import type { Logger } from 'pino';
import type { SlackAdapter, SlackTuning } from '../adapters/slack/index.ts';
import type { TeamsAdapter, TeamsTuning } from '../adapters/teams/index.ts';
import { TerminalSink } from '../adapters/terminal/terminal-sink.ts';
import { Bot } from './app.ts';
import type { DeliveryLine } from './commands/deps.ts';
import { pollerLines } from './commands/poller-lines.ts';
import { oldestOf } from './commands/stats.ts';
import type { Config } from './config/config.ts';
import type { CardSink } from './delivery/card-sink.ts';
import type { ChatAdapter, ChatAdapterDeps } from './delivery/chat-adapter.ts';
import { problemLine } from './delivery/delivery-problems.ts';
import { PostGate } from './delivery/post-gate.ts';
import type { StateStore } from './store/state-store.ts';
import type { NormalizePool } from './intake/normalize-pool.ts';
import { createStateStore } from './store/create-state-store.ts';
import { PgStateStore } from './store/postgres/pg-state-store.ts';
import { ForwardedCards } from './replica/forwarded-cards.ts';
import { deliverForwardedCards, ReplicaSink } from './replica/replica-sink.ts';
import { shareLeaderStats } from './replica/leader-status.ts';
import { checkOktaAtStart, oktaConnection, type OktaConnectionOptions } from './okta/okta-auth.ts';
import { startFollowUp, type FollowUp, type FollowUpDeps } from './followup/index.ts';
import { OigSocketServer } from './tools/oig/socket-server.ts';

export interface ComposeOptions {
  hookSecret: string;
  log: Logger;
  /** the manual-remediation work queue (default on) */
  followUp?: boolean;
  /** tests and benchmarks shorten Slack's pacing and the Okta retries */
  slackTuning?: SlackTuning;
  teamsTuning?: TeamsTuning;
  followUpHttp?: FollowUpDeps['http'];
  /** the parsing workers, already booting (main.ts starts them first: the longest step of a start) */
  normalizer?: NormalizePool;
  /** the bot's own state (main.ts makes it first: the hook secret of replicas lives there); default from config */
  state?: StateStore;
  /** retries of the Okta OAuth token request (tests shorten them) */
  oktaHttp?: OktaConnectionOptions['http'];
}

export interface Composed {
  bot: Bot;
  slack?: SlackAdapter;
  teams?: TeamsAdapter;
  followUp?: FollowUp;
  /** true when no chat is configured: cards go to the terminal */
  localMode: boolean;
  /** starts everything; resolves with the bound port */
  start(): Promise<number>;
  /** the bot first (no new cards), then the work queue, then the chats (their outboxes are durable) */
  stop(): Promise<void>;
}

/**
 * The composition root's wiring, in one place: the core Bot, the work queue and the chat adapters that are
 * configured, sharing one list of card sinks. `npm start` (main.ts), the tests and the benchmarks all
 * assemble the bot through this, so they run the same wiring. The only file besides main.ts that sees
 * both src/ and adapters/.
 */
export async function composeBot(config: Config, o: ComposeOptions): Promise<Composed> {
  const { log } = o;
  // the Bot keeps this array: the chat sinks join it once the adapters have the Bot's router and metrics
  const sinks: CardSink[] = [];
  const localMode = !config.slack && !config.teams;
  if (localMode) sinks.push(new TerminalSink());
  // one Okta connection for the whole bot: an OAuth access token is fetched once and shared
  const okta = config.okta ? oktaConnection(config.okta, { log, ...(o.oktaHttp ? { http: o.oktaHttp } : {}) }) : undefined;
  const state = o.state ?? createStateStore(config, { log });
  // several replicas on one database: what a follower's buttons change reaches the leader's outboxes
  const replicas = state instanceof PgStateStore ? { forwarded: new ForwardedCards({ database: await state.database(), log }) } : undefined;
  const bot = new Bot({ config, hookSecret: o.hookSecret, log, sinks, ...(okta ? { okta } : {}), state, ...(o.normalizer ? { normalizer: o.normalizer } : {}) });
  // the work queue's card changes go to whatever sinks there are
  const followUp =
    o.followUp === false
      ? undefined
      : await startFollowUp({
          config, state: bot.state, log, ...(okta ? { okta } : {}), publish: (cards) => bot.dispatcher.publish(cards),
          // reminders and the background checks in Okta: on the leading replica only
          leading: () => bot.leadership.leading,
          ...(o.followUpHttp ? { http: o.followUpHttp } : {}),
        });
  // routing opens tasks before it builds cards, and task cards show where their task stands
  if (followUp) bot.useTasks(followUp.queue);
  // the chats configured; `/oig stats` in either tells how delivery to all stands (a broken Teams shows in Slack too)
  const chats: Array<{ product: string; adapter: ChatAdapter<{ outbox: number; oldestQueuedAt?: string }> }> = [];
  const delivery = (): DeliveryLine => {
    const named = chats.length > 1;
    return {
      outbox: chats.reduce((n, c) => n + c.adapter.status().outbox, 0),
      ...oldestOf(chats.map((c) => c.adapter.status().oldestQueuedAt)),
      errors: chats.flatMap((c) => c.adapter.deliveryErrors().map((p) => problemLine(p, named ? c.product : undefined))),
    };
  };
  const live = { pollers: () => pollerLines(bot.pollerStatus()), delivery, unrouted: () => bot.unrouted };
  // replicas: pollers and delivery run on the leader; the others answer from what it shares (leader-status.ts)
  const shared = replicas ? await shareLeaderStats(live, state, bot.leadership, log) : undefined;
  const stats = shared?.stats ?? live;
  let slack: SlackAdapter | undefined;
  let teams: TeamsAdapter | undefined;
  // what both chats get: the one server, the store for /oig, the work queue for the buttons, the status
  const chatDeps: ChatAdapterDeps = {
    config,
    router: bot.router,
    store: bot.store,
    state: bot.state,
    log,
    metrics: bot.metrics,
    commands: { ...(followUp ? { tasks: followUp.queue } : {}), stats, stillUsed: bot.stillUsed },
    // one new message in flight at a time across Slack and Teams: a kill -9 can repeat at most one post
    postGate: new PostGate(),
    ...(followUp ? { taskQueue: followUp.queue } : {}),
    // replicas: one delivers at a time, the one that leads (below)
    waitForLead: replicas !== undefined,
  };
  if (config.slack) {
    // imported only when configured: Bolt and botbuilder take ~0.5 s each to load, and a restart should
    // answer Okta's hook as soon as it can (issue 13: within 2 s at 1M events)
    const { createSlack } = await import('../adapters/slack/index.ts');
    slack = await createSlack(chatDeps, o.slackTuning);
    chats.push({ product: 'Slack', adapter: slack });
  }
  if (config.teams) {
    const { createTeams } = await import('../adapters/teams/index.ts');
    teams = await createTeams(chatDeps, o.teamsTuning);
    chats.push({ product: 'Teams', adapter: teams });
  }
  // GET /readyz waits for each chat to accept its credentials (every replica on its own)
  for (const c of chats) bot.readiness.add(() => c.adapter.ready());
  if (replicas) {
    // a follower's button press hands its card to the leader through the database; the leader catches its
    // outboxes up with what the last leader wrote, then delivers, before routing starts (app.ts)
    for (const c of chats) sinks.push(new ReplicaSink(c.adapter.sink, bot.leadership, replicas.forwarded));
    bot.whileLeading(async () => {
      for (const c of chats) await c.adapter.lead();
      deliverForwardedCards(replicas.forwarded, chats.map((c) => c.adapter.sink), log);
    });
  } else {
    for (const c of chats) sinks.push(c.adapter.sink);
  }
  // `npm run oig` asks the running bot through DATA_DIR/oig.sock (none with DATABASE_URL: the CLI reads the database)
  const oigSocket = new OigSocketServer(config, { store: bot.store, ...chatDeps.commands }, log);
  return {
    bot,
    localMode,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    ...(followUp ? { followUp } : {}),
    async start() {
      // before anything listens: Okta refusing the service app's credentials stops the start with one line
      if (okta) await checkOktaAtStart(okta, log);
      const port = await bot.start();
      for (const c of chats) await c.adapter.start();
      await oigSocket.start();
      return port;
    },
    async stop() {
      await oigSocket.stop();
      shared?.stop();
      await replicas?.forwarded.stop();
      await bot.stop();
      await followUp?.stop();
      for (const c of chats) await c.adapter.stop();
      await okta?.auth.close?.();
      // last: the chats' outboxes and references are written until they stop
      await state.close();
    },
  };
}
