/**
 * LISTEN for the notification every append sends at commit (event-log-sql.ts), so a replica reads the
 * rows another one appended within milliseconds instead of at the next poll. It holds one connection of
 * the pool. A notification can be lost (the connection drops, a proxy that does not pass LISTEN such as
 * PgBouncer in transaction mode), so the store polls as well; when the connection is lost it is opened
 * again at the next `start()` the store's poll makes.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENTS_CHANNEL } from './event-log-sql.ts';
import { loggableError } from './connection-error.ts';

export class LogListener {
  private client: pg.PoolClient | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    /** this process's payload: its own appends need no read */
    private readonly replica: string,
    private readonly onAppend: () => void,
    private readonly log: Logger,
  ) {}

  /** listens unless it already does; failures are logged (the poll still runs) */
  start(): Promise<void> {
    if (this.client || this.stopped) return Promise.resolve();
    return (this.starting ??= this.connect().finally(() => (this.starting = undefined)));
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', (n) => n.payload !== this.replica && this.onAppend());
      client.on('error', (err) => this.lost(client!, err));
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) return client.release();
      this.client = client;
      // rows appended while nobody listened
      this.onAppend();
    } catch (err) {
      client?.release(true);
      this.log.warn({ err: loggableError(err) }, 'could not LISTEN for new events in PostgreSQL; other replicas\u2019 events are read by polling');
    }
  }

  private lost(client: pg.PoolClient, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.release(err);
    this.log.warn({ err: loggableError(err) }, 'the LISTEN connection to PostgreSQL was lost; polling until it is back');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query(`UNLISTEN ${EVENTS_CHANNEL}`).catch(() => undefined);
    client.release();
  }
}
