/**
 * LISTEN on one channel, so a replica takes what another one wrote within milliseconds instead of at the
 * next poll: the event log's appends (postgres-event-store.ts) and state document changes
 * (pg-state-store.ts). It holds one connection of the pool. A notification can be lost (the connection
 * drops: a failover, an idle timeout at a proxy, pg_terminate_backend; a proxy that does not pass LISTEN,
 * such as PgBouncer in transaction mode), so its users poll as well, and this connects again by itself,
 * with a growing pause, until it listens again; each time it starts listening its user reads what changed
 * while nobody listened.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { loggableError } from './connection-error.ts';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export class PgListener {
  private client: pg.PoolClient | undefined;
  private starting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    /** a fixed identifier (it is written into the LISTEN statement) */
    private readonly channel: string,
    private readonly on: { notified(payload: string): void; listening(): void },
    private readonly log: Logger,
    /** what the notifications announce, for the log lines ("new events", "state changes") */
    private readonly what: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  }

  /** true while the LISTEN connection is up */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** listens unless it already does (or is about to) */
  start(): Promise<void> {
    if (this.client || this.stopped) return Promise.resolve();
    return (this.starting ??= this.connect().finally(() => (this.starting = undefined)));
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const c = client;
      c.on('notification', (n) => n.payload !== undefined && this.on.notified(n.payload));
      c.on('error', (err) => this.lost(c, err));
      c.on('end', () => this.lost(c, new Error('the LISTEN connection ended')));
      await c.query(`LISTEN ${this.channel}`);
      if (this.stopped) return c.release();
      this.client = c;
      this.retryMs = FIRST_RETRY_MS;
      this.on.listening();
    } catch (err) {
      client?.release(true);
      this.log.warn({ err: loggableError(err) }, `could not LISTEN for ${this.what} in PostgreSQL; other replicas\u2019 ${this.what} are read by polling meanwhile`);
      this.again();
    }
  }

  private lost(client: pg.PoolClient, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.release(err);
    this.log.warn({ err: loggableError(err) }, `the LISTEN connection to PostgreSQL (${this.what}) was lost; polling until it is back`);
    this.again();
  }

  private again(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.starting;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
    client.release();
  }
}
