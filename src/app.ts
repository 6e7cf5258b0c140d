import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { CardDispatcher } from './delivery/card-dispatcher.ts';
import type { CardSink } from './delivery/card-sink.ts';
import { sendJson, HttpRouter, type Handler } from './http/http-server.ts';
import { Intake } from './intake/intake.ts';
import { NormalizePool } from './intake/normalize-pool.ts';
import { WorkflowsOwnerCheck } from './intake/workflows-owner-check.ts';
import { Metrics } from './metrics.ts';
import { hookRoutes } from './okta/hook-route.ts';
import { createPollers, type Pollers, type PollersStatus } from './pollers/index.ts';
import type { EventStore } from './store/event-store.ts';
import { LowdbEventStore } from './store/lowdb-event-store.ts';

const HOUR_MS = 3_600_000;

export interface BotOptions {
  config: Config;
  /** the Okta hook secret, resolved (see okta/hook-secret.ts) */
  hookSecret: string;
  log: Logger;
  sinks: readonly CardSink[];
  /** defaults to the lowdb store in config.dataDir */
  store?: EventStore;
}

/**
 * The bot's core, assembled: store, intake, card routing and the one HTTP server with the routes of
 * SPEC §3. Chat adapters are handed in as sinks (and later add their own routes via `router`).
 */
export class Bot {
  readonly metrics = new Metrics();
  readonly store: EventStore;
  readonly intake: Intake;
  readonly router: HttpRouter;
  private readonly normalizer: NormalizePool;
  private server: Server | undefined;
  /** the base URL once listening, e.g. http://127.0.0.1:3000 */
  url = '';
  private retentionTimer: NodeJS.Timeout | undefined;
  private pollers: Pollers | undefined;

  constructor(private readonly o: BotOptions) {
    this.store =
      o.store ??
      new LowdbEventStore({
        dataDir: o.config.dataDir,
        retentionDays: o.config.retentionDays,
        onBackgroundError: (err) => o.log.error({ err }, 'writing the event store files failed; events are safe in the log (DATA_DIR/wal) and the write is retried'),
      });
    this.intake = new Intake(this.store, this.metrics, o.log);
    const dispatcher = new CardDispatcher(this.store, o.sinks, this.metrics, o.log);
    const owners = new WorkflowsOwnerCheck(o.log);
    this.intake.onStored((records) => owners.check(records));
    this.intake.onStored((records) => dispatcher.dispatch(records));

    this.normalizer = new NormalizePool(o.log);
    const hooks = hookRoutes({ authHeader: o.config.hook.authHeader, secret: o.hookSecret, intake: this.intake, normalizer: this.normalizer });
    this.router = new HttpRouter(o.log)
      .add('GET', '/okta/hooks', hooks.verify)
      .add('POST', '/okta/hooks', this.countDeliveries(hooks.deliver))
      .add('GET', '/healthz', (_req, res) => {
        if (this.store.isOpen) sendJson(res, 200, { status: 'ok' });
        else sendJson(res, 503, { status: 'unavailable', message: 'the event store is not open' });
      })
      .add('GET', '/metrics', async (_req, res) => {
        const text = await this.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
        res.end(text);
      });
  }

  /** opens the store, applies retention, listens; resolves with the bound port */
  async start(): Promise<number> {
    await this.store.open();
    await this.normalizer.start();
    await this.runRetention();
    this.retentionTimer = setInterval(() => void this.runRetention(), HOUR_MS).unref();
    this.metrics.storedEvents.set(this.store.stats().events);
    const server = this.router.createServer();
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.config.port, this.o.config.host, () => resolve());
    });
    // the ASA poller and the System Log backfill (when configured) feed the same intake as the hook
    this.pollers = createPollers({ config: this.o.config, intake: this.intake, dataDir: this.o.config.dataDir, log: this.o.log, metrics: this.metrics });
    await this.pollers.start();
    const { port } = server.address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(this.o.config.host) ? '127.0.0.1' : this.o.config.host;
    this.url = `http://${host}:${port}`;
    return port;
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

  /** resolves when every stored event has been routed and its cards handed to the sinks */
  idle(): Promise<void> {
    return this.intake.idle();
  }

  /** stops taking requests, lets running deliveries finish, flushes the store */
  async stop(): Promise<void> {
    clearInterval(this.retentionTimer);
    // a poll in progress finishes first: it needs the store open to store its page
    await this.pollers?.stop();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // a delivery still being written gets a few seconds; Okta retries anything cut off
      const timeout = setTimeout(() => server.closeAllConnections(), 5_000).unref();
      await closed;
      clearTimeout(timeout);
    }
    await this.normalizer.close();
    await this.store.close();
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
