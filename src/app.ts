import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { CardDispatcher, type TaskCards } from './delivery/card-dispatcher.ts';
import type { CardSink } from './delivery/card-sink.ts';
import { HttpRouter, type Handler } from './http/http-server.ts';
import { addOpsRoutes, storeReadiness } from './http/ops-routes.ts';
import { Readiness } from './http/readiness.ts';
import { Intake } from './intake/intake.ts';
import { NormalizePool } from './intake/normalize-pool.ts';
import { WorkflowsOwnerCheck } from './intake/workflows-owner-check.ts';
import { StillUsedIndex } from './correlate/still-used-index.ts';
import { Metrics } from './metrics.ts';
import { hookRoutes } from './okta/hook-route.ts';
import { oktaConnection, type OktaConnection } from './okta/okta-auth.ts';
import { createPollers, type Pollers, type PollersStatus } from './pollers/index.ts';
import { Routing, type TaskIntake } from './route/routing.ts';
import { RoutingCursor } from './route/routing-cursor.ts';
import type { EventStore } from './store/event-store.ts';
import { createEventStore } from './store/create-event-store.ts';
import { createStateStore } from './store/create-state-store.ts';
import type { StateStore } from './store/state-store.ts';
import { holdDataDir, type DataDirLease } from './store/data-dir-lock.ts';
import { LeaderLease } from './replica/leader-lease.ts';
import { soleProcess, type Leadership } from './replica/leadership.ts';

const HOUR_MS = 3_600_000;

export interface BotOptions {
  config: Config;
  /** the Okta hook secret, resolved (see okta/hook-secret.ts) */
  hookSecret: string;
  log: Logger;
  sinks: readonly CardSink[];
  /** defaults to the lowdb store in config.dataDir */
  store?: EventStore;
  /** the bot's own state (cursor, checkpoints, tasks, outboxes); defaults to the one config names */
  state?: StateStore;
  /** first wait after a sink or the work queue refused a batch (tests shorten it) */
  routingRetryMs?: number;
  /** the Okta API (System Log backfill): compose.ts shares one with the work queue; default from config */
  okta?: OktaConnection;
  /** the parsing workers, when main.ts started booting them first (~1 s: the longest step of a start) */
  normalizer?: NormalizePool;
  /** whether this process leads (routing, delivery, pollers): default the sole process, or a lease in PostgreSQL */
  leadership?: Leadership;
}

/**
 * The bot's core, assembled: store, intake, card routing and the one HTTP server with the routes of
 * SPEC §3. Chat adapters are handed in as sinks (and later add their own routes via `router`).
 */
export class Bot {
  readonly metrics = new Metrics();
  /** what GET /readyz waits for: the store's load here, each chat's token (compose.ts) */
  readonly readiness = new Readiness();
  readonly store: EventStore;
  /** where the routing cursor, checkpoints, tasks and outboxes are kept (files, or PostgreSQL) */
  readonly state: StateStore;
  /**
   * Whether this process does the work after the ack (routing, chat delivery, pollers, reminders, drift,
   * retention). With DATABASE_URL several replicas share the database and one leads at a time; every
   * replica takes hook deliveries, /oig and button presses.
   */
  readonly leadership: Leadership;
  /** what compose.ts starts once this process leads, before routing (the chats' deliveries, forwarded cards) */
  private readonly leadSteps: Array<() => Promise<void>> = [];
  readonly intake: Intake;
  readonly router: HttpRouter;
  private readonly normalizer: NormalizePool;
  private server: Server | undefined;
  /** the base URL once listening, e.g. http://127.0.0.1:3000 */
  url = '';
  private retentionTimer: NodeJS.Timeout | undefined;
  private pollers: Pollers | undefined;
  private dataDirLease: DataDirLease | undefined;
  /** cards for newly stored records: digest, catch-up, sinks */
  readonly dispatcher: CardDispatcher;
  /** exists once started (it needs the routing cursor from DATA_DIR) */
  private routing: Routing | undefined;
  private tasks: (TaskIntake & TaskCards) | undefined;
  /** what start() does once the store has loaded every record: routing, retention, pollers */
  private afterLoad: Promise<void> = Promise.resolve();
  private routingStarted = false;
  private stopping = false;
  private readonly owners: WorkflowsOwnerCheck;
  /** "revoked but still used": a routing stage, and what /oig user and /oig stats read */
  readonly stillUsed: StillUsedIndex;

  constructor(private readonly o: BotOptions) {
    // PostgreSQL when DATABASE_URL is set, else the embedded store in DATA_DIR (create-event-store.ts)
    this.store = o.store ?? createEventStore(o.config, o.log, { onWriteFailure: (kind) => this.metrics.storeWriteFailures.inc({ kind }) });
    this.state = o.state ?? createStateStore(o.config, { log: o.log });
    this.leadership = o.leadership ?? (o.config.databaseUrl !== undefined ? new LeaderLease({ url: o.config.databaseUrl, log: o.log }) : soleProcess());
    this.intake = new Intake(this.store, this.metrics, o.log);
    this.dispatcher = new CardDispatcher(this.store, o.sinks, this.metrics, o.log, o.routingRetryMs !== undefined ? { retryBaseMs: o.routingRetryMs } : {});
    this.owners = new WorkflowsOwnerCheck(o.log);
    this.stillUsed = new StillUsedIndex(this.store, o.config.asaUserMap);
    // a shared store routes what any replica appended, in log order; the embedded one what this process did
    if (this.store.onIndexed) this.store.onIndexed((records) => this.routing?.push(records));
    else this.intake.onStored((records) => this.routing?.push(records));

    this.normalizer = o.normalizer ?? new NormalizePool(o.log);
    const hooks = hookRoutes({ authHeader: o.config.hook.authHeader, secret: o.hookSecret, intake: this.intake, normalizer: this.normalizer });
    this.router = new HttpRouter(o.log)
      .add('GET', '/okta/hooks', hooks.verify)
      .add('POST', '/okta/hooks', this.countDeliveries(hooks.deliver));
    // /healthz, /readyz (the store here; compose.ts adds the chats) and /metrics
    this.readiness.add(() => storeReadiness(this.store));
    addOpsRoutes(this.router, { store: this.store, metrics: this.metrics, readiness: this.readiness, metricsToken: o.config.metricsToken });
  }

  /**
   * Opens the store, listens, then routes, applies retention and starts the pollers; resolves with the bound
   * port. A big store takes appends before its records are loaded (issue 13: Okta retries a failed
   * delivery only once, so the hook answers within 2 s of a start at 1M events): start() then resolves
   * once listening, and the steps that read stored records follow when the load ends (`loaded()`).
   */
  async start(): Promise<number> {
    // before anything reads or writes DATA_DIR: one process at a time (store/data-dir-lock.ts); replicas on
    // PostgreSQL keep nothing there
    if (this.state.kind === 'files') this.dataDirLease = await holdDataDir(this.o.config.dataDir, 'bot');
    const opened = performance.now();
    // the parsing worker boots in its own thread while the store opens (~1 s each on these machines)
    const normalizing = this.normalizer.start();
    normalizing.catch(() => undefined);
    try {
      await this.store.open();
    } catch (err) {
      await this.normalizer.close();
      throw err;
    }
    // the sole process routes from here on, so what the hook stores during the load waits in its backlog;
    // its start-time routing of what was stored after its cursor (a crash after an ack) runs once loaded.
    // A replica makes its routing when it comes to lead (lead()): the cursor is read then, as the last leader left it.
    if (this.state.kind === 'files') this.routing = await this.makeRouting();
    // a broken install fails here, before start() resolves (a delivery meanwhile waits for the worker)
    await normalizing;
    this.metrics.storedEvents.set(this.store.stats().events);
    const server = this.router.createServer();
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.config.port, this.o.config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(this.o.config.host) ? '127.0.0.1' : this.o.config.host;
    this.url = `http://${host}:${port}`;
    this.afterLoad = this.store.whenLoaded().then(() => this.lead(opened));
    // a small shared log (a fresh database) is read in moments: loaded before start() resolves, as a small
    // embedded store is, so /oig answers at once
    if ((this.store.loadProgress()?.total ?? Infinity) <= 10_000) await this.store.whenLoaded().catch(() => undefined);
    const progress = this.store.loadProgress();
    if (!progress && this.state.kind === 'files') {
      // loaded already (a small store): everything is started before start() resolves, as it always was (a
      // replica does not wait for the lead: it takes deliveries, /oig and buttons meanwhile)
      await this.afterLoad;
      return port;
    }
    if (progress) this.o.log.info({ events: progress.total }, 'the Okta hook is answered; stored events load in the background (/oig answers once they are loaded)');
    this.afterLoad = this.afterLoad.catch((err: unknown) => {
      this.o.log.error({ err }, 'the stored events could not be loaded, or leading failed: nothing is routed by this process (see /healthz and the lines before)');
    });
    return port;
  }

  /** resolves once the store is loaded and routing, retention and the pollers have started */
  loaded(): Promise<void> {
    return this.afterLoad.catch(() => undefined);
  }

  private async makeRouting(): Promise<Routing> {
    const routing = new Routing({ store: this.store, dispatcher: this.dispatcher, cursor: await RoutingCursor.open(this.state), metrics: this.metrics, log: this.o.log, stages: [this.stillUsed], ...(this.o.routingRetryMs !== undefined ? { retryBaseMs: this.o.routingRetryMs } : {}) });
    routing.observe((records) => this.owners.check(records));
    if (this.tasks) routing.useTasks(this.tasks);
    return routing;
  }

  /**
   * Once loaded, and once this process leads (at once for the sole process; a replica waits for the lease):
   * what compose.ts registered (the chats' deliveries catch up with their outboxes), then routing,
   * retention and the pollers.
   */
  private async lead(opened: number): Promise<void> {
    this.o.log.info({ events: this.store.stats().events, seconds: Math.round((performance.now() - opened) / 100) / 10 }, 'stored events loaded');
    if (!(await this.leadership.whenLeading()) || this.stopping) return;
    for (const step of this.leadSteps) await step();
    if (this.stopping) return;
    this.routing ??= await this.makeRouting();
    const routing = this.routing;
    this.routingStarted = true;
    await routing.start();
    await this.runRetention();
    this.retentionTimer = setInterval(() => void this.runRetention(), HOUR_MS).unref();
    this.metrics.storedEvents.set(this.store.stats().events);
    if (this.stopping) return;
    // the ASA poller and the System Log backfill (when configured) feed the same intake as the hook
    const okta = this.o.okta ?? (this.o.config.okta ? oktaConnection(this.o.config.okta) : undefined);
    this.pollers = createPollers({
      config: this.o.config, intake: this.intake, state: this.state, log: this.o.log, metrics: this.metrics,
      ...(okta ? { okta } : {}),
    });
    await this.pollers.start();
  }

  /**
   * The work queue: routing opens its tasks before it builds cards, and manual-remediation cards show
   * where their task stands. Set before `start()`.
   */
  useTasks(tasks: TaskIntake & TaskCards): void {
    this.tasks = tasks;
    this.dispatcher.useTasks(tasks);
  }

  /** runs `step` when this process comes to lead, before routing starts (compose.ts: the chats' deliveries) */
  whileLeading(step: () => Promise<void>): void {
    this.leadSteps.push(step);
  }

  /** the header and value Okta must send (for the demo and replay, which post to the bot itself) */
  get hookAuthHeader(): string {
    return this.o.config.hook.authHeader;
  }

  get hookSecret(): string {
    return this.o.hookSecret;
  }

  /** the pollers' last runs, checkpoints and next runs (for /oig stats) */
  pollerStatus(): PollersStatus {
    return this.pollers?.status() ?? {};
  }

  /** stored events not yet routed into tasks and outboxes (0 once routing has caught up) */
  get unrouted(): number {
    return this.routing?.waiting ?? 0;
  }

  /** resolves when every stored event has been routed and its cards handed to the sinks (after the load) */
  async idle(): Promise<void> {
    // a replica that does not lead routes nothing: loaded() would wait for a lead that may never come
    if (!this.leadership.leading) return this.store.whenLoaded().catch(() => undefined);
    await this.loaded();
    await this.routing?.idle();
  }

  /** stops taking requests, lets running deliveries finish, flushes the store */
  async stop(): Promise<void> {
    this.stopping = true;
    // a replica waiting for the lead stops waiting (the leader gives it up last, below)
    if (!this.leadership.leading) await this.leadership.release();
    // once loaded, what follows the load is quick: let it finish, so what it started is stopped below; a
    // load still running is abandoned instead (store.close), and what was acked meanwhile stays in the log
    if (!this.store.loadProgress()) await this.loaded();
    clearInterval(this.retentionTimer);
    // a poll in progress finishes first: it needs the store open to store its page
    await this.pollers?.stop();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // a delivery still being written gets a few seconds; Okta retries anything cut off (the whole stop
      // stays within the 10 s a container runtime waits between SIGTERM and SIGKILL)
      const timeout = setTimeout(() => server.closeAllConnections(), 3_000).unref();
      await closed;
      clearTimeout(timeout);
    }
    // every acknowledged event is routed into tasks and outboxes before the store closes
    // routing that never started (stopped during the load) has nothing routed to finish: its backlog is
    // on disk after the routing cursor and is routed at the next start
    if (this.routingStarted) await this.routing?.stop(4_000);
    await this.normalizer.close();
    await this.store.close();
    // another replica may lead now: everything this one routed is queued in the shared outboxes
    await this.leadership.release();
    // a state store the Bot made itself is the Bot's to close (compose.ts closes the one it hands in)
    if (!this.o.state) await this.state.close();
    // last: another process may open DATA_DIR now
    await this.dataDirLease?.release();
    this.dataDirLease = undefined;
  }

  private async runRetention(): Promise<void> {
    try {
      const dropped = await this.store.applyRetention();
      if (dropped > 0) this.o.log.info({ dropped, retentionDays: this.o.config.retentionDays }, 'retention dropped old events');
    } catch (err) {
      this.o.log.error({ err }, 'retention failed');
    }
  }

  private countDeliveries(handler: Handler): Handler {
    return (req, res) => {
      res.once('finish', () => this.metrics.deliveries.inc({ status: String(res.statusCode) }));
      return handler(req, res);
    };
  }
}
