/**
 * The lead among replicas sharing one PostgreSQL database (DATABASE_URL, issue 13 §2): a session-level
 * advisory lock held on a connection of its own (a pg.Client, never a pooled one: the lock belongs to the
 * session, and a pool would hand that session to other work or close it when idle).
 *
 * Lock key: LEADER_LOCK_KEY = 8028061311388967268, "oig:lead" in ASCII (the migration run uses "oig:migr",
 * migrate.ts). pg_locks shows a bigint advisory key split in two (classid: high 32 bits, objid: low 32 bits,
 * objsubid 1). Which replica leads, as an operator asks it:
 *
 *   SELECT a.pid, a.client_addr, a.backend_start, a.application_name
 *   FROM pg_locks l JOIN pg_stat_activity a USING (pid)
 *   WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
 *     AND l.classid = 1869178682 AND l.objid = 1818583396 AND l.objsubid = 1;
 *
 * Every replica's lease connection is named "oig-chatops leader lease" in pg_stat_activity; the leader is the
 * one holding the lock. `SELECT pg_terminate_backend(<that pid>)` forces a handover.
 *
 * A replica that waits tries pg_try_advisory_lock every `retryMs` (not a blocking pg_advisory_lock: a wait
 * that can be given up at any moment, and a connection failure noticed at the next try). The server frees
 * the lock when the leader's session ends: a kill -9 closes its socket at once, so a waiting replica leads
 * within about `retryMs`. A leader that is cut off silently (a network partition) notices itself within
 * `retryMs` + `timeoutMs` (the `SELECT 1` check) and stops leader work; the server notices by TCP
 * keepalives, which this session sets short (tcp_keepalives_*), so the lock is freed within about 30 s.
 * Session advisory locks need a session-mode connection: through PgBouncer in transaction mode they do
 * not hold, so DATABASE_URL must point at the server or at a pooler in session mode.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import { backoffMs, Sleepers } from '../sleepers.ts';
import { connectionFailure, describeTarget, loggableError, type DatabaseTarget } from '../store/postgres/connection-error.ts';
import type { Leadership } from './leadership.ts';

/** pg_advisory_lock key of the lead: "oig:lead" in ASCII, fixed for every version of the bot */
export const LEADER_LOCK_KEY = '8028061311388967268';

/** the name of every lease connection in pg_stat_activity */
export const LEASE_APPLICATION_NAME = 'oig-chatops leader lease';

export interface LeaderLeaseOptions {
  url: string;
  log: Logger;
  /** how often a waiting replica tries the lock, and a leader checks its connection (default 2 s) */
  retryMs?: number;
  /** the advisory lock key (default LEADER_LOCK_KEY); tests use their own */
  key?: string;
  /** how long a connection attempt, a try or a check may take (default 5 s) */
  timeoutMs?: number;
}

type State = 'waiting' | 'leading' | 'lost' | 'released';

const MAX_BACKOFF_MS = 15_000;
/** the server drops a silent leader's session after idle + interval × count seconds */
const SERVER_KEEPALIVES = 'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3';

const LEADS = 'this replica leads: it routes events, delivers cards to chat and runs the pollers, reminders, drift checks and retention';
const WAITS = 'another replica leads; this one takes hook deliveries, /oig and buttons, and takes over when it goes';

export class LeaderLease implements Leadership {
  private state: State = 'waiting';
  private client: pg.Client | undefined;
  private campaign: Promise<boolean>;
  private check: NodeJS.Timeout | undefined;
  private readonly lostListeners: ((reason: string) => void)[] = [];
  private readonly sleepers = new Sleepers();
  private readonly target: DatabaseTarget;
  private readonly retryMs: number;
  private readonly timeoutMs: number;
  private readonly key: string;

  /** starts campaigning at once */
  constructor(private readonly o: LeaderLeaseOptions) {
    this.target = describeTarget(o.url);
    this.retryMs = o.retryMs ?? 2_000;
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.key = o.key ?? LEADER_LOCK_KEY;
    this.campaign = this.run();
  }

  get leading(): boolean {
    return this.state === 'leading';
  }

  whenLeading(): Promise<boolean> {
    if (this.state === 'released') return Promise.resolve(false);
    if (this.state === 'lost') {
      this.state = 'waiting';
      this.campaign = this.run();
    }
    return this.campaign;
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  async release(): Promise<void> {
    const was = this.state;
    this.state = 'released';
    clearTimeout(this.check);
    this.sleepers.wakeAll();
    const client = this.client;
    this.client = undefined;
    if (client && was === 'leading') {
      // ending the session would free the lock too; unlocking first hands over before the socket closes
      await client.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
      this.o.log.info('this replica gave up the lead; another replica takes it over');
    }
    // also cuts short a connection attempt or a try still in flight
    await client?.end().catch(() => undefined);
    await this.campaign.catch(() => false);
  }

  private async run(): Promise<boolean> {
    let failures = 0;
    let saidWaiting = false;
    while (this.state === 'waiting') {
      try {
        const client = this.client ?? (await this.connect());
        const { rows } = await client.query<{ locked: boolean; pid: number }>('SELECT pg_try_advisory_lock($1) AS locked, pg_backend_pid() AS pid', [this.key]);
        if (failures > 0) this.o.log.info('the leader lease reaches PostgreSQL again');
        failures = 0;
        if (this.state !== 'waiting') return false;
        if (rows[0]?.locked) {
          this.lead(client, rows[0].pid);
          return true;
        }
        if (!saidWaiting) this.o.log.info(WAITS);
        saidWaiting = true;
      } catch (err) {
        if (this.state !== 'waiting') return false;
        this.dropClient();
        if (failures++ === 0) this.o.log.warn({ err: this.loggable(err) }, 'the leader lease cannot reach PostgreSQL; this replica keeps trying (it does not lead meanwhile)');
      }
      await this.sleepers.sleep(failures > 0 ? backoffMs(failures, this.retryMs, Math.max(MAX_BACKOFF_MS, this.retryMs)) : this.retryMs);
    }
    return false;
  }

  private async connect(): Promise<pg.Client> {
    let client: pg.Client;
    try {
      client = new pg.Client({
        connectionString: this.o.url,
        application_name: LEASE_APPLICATION_NAME,
        connectionTimeoutMillis: this.timeoutMs,
        // a try or a check that gets no answer counts as a lost connection
        query_timeout: this.timeoutMs,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      });
    } catch (err) {
      // pg-connection-string reads sslrootcert/sslcert/sslkey files while parsing
      throw connectionFailure(err, this.target, this.timeoutMs);
    }
    // an 'error' nobody listens to kills the process; while waiting, the next try fails and reconnects
    client.on('error', (err) => this.lose(client, `its connection failed: ${this.target.redact(err.message)}`));
    client.on('end', () => this.lose(client, 'its connection was closed'));
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      throw connectionFailure(err, this.target, this.timeoutMs);
    }
    // unix sockets ignore these, and a server that refuses them still gives a working lease
    await client.query(SERVER_KEEPALIVES).catch(() => undefined);
    return client;
  }

  private lead(client: pg.Client, backendPid: number | undefined): void {
    this.state = 'leading';
    this.o.log.info({ lockKey: this.key, backendPid }, LEADS);
    this.scheduleCheck(client);
  }

  /** a dead connection is only noticed when something is sent on it: a cheap query every retryMs */
  private scheduleCheck(client: pg.Client): void {
    this.check = setTimeout(() => {
      client.query('SELECT 1').then(
        () => this.client === client && this.state === 'leading' && this.scheduleCheck(client),
        (err: unknown) => this.lose(client, `its connection failed a check: ${this.target.redact(loggableError(err).message)}`),
      );
    }, this.retryMs);
  }

  private lose(client: pg.Client, reason: string): void {
    if (this.client !== client || this.state !== 'leading') return;
    this.state = 'lost';
    this.client = undefined;
    clearTimeout(this.check);
    void client.end().catch(() => undefined);
    this.o.log.error({ reason }, 'this replica lost the lead (the server may already have given it to another replica): leader work stops now');
    for (const listener of this.lostListeners) {
      try {
        listener(reason);
      } catch (err) {
        this.o.log.error({ err: loggableError(err) }, 'a listener for the lost lead failed');
      }
    }
  }

  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }

  private loggable(err: unknown): { code?: string; message: string } {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    const e = loggableError(err);
    return { ...e, message: this.target.redact(e.message) };
  }
}
