import { randomBytes } from 'node:crypto';
import type { AccessRequestRecord, CampaignRef, DecisionRecord, EventRecord } from '../../domain/records.ts';
import type { CampaignTotals } from '../../route/route-context.ts';
import { StoreClosedError, type AppendResult, type EventStore, type LoadProgress, type StoreHealth, type StoreStats } from '../event-store.ts';
import { GroupCommit } from '../group-commit.ts';
import type { IndexName } from '../index-keys.ts';
import { withPositionSlot } from '../log-position.ts';
import { WriteHealth } from '../write-health.ts';
import { openDatabase, type Database } from './database.ts';
import { batchJson, type Submission } from './batch-json.ts';
import { countEvents, deleteBefore, EVENTS_CHANNEL, insertNew, readLogState, readPage } from './event-log-sql.ts';
import { LogMirror } from './log-mirror.ts';
import { migrate } from './migrate.ts';
import { PgListener } from './pg-listener.ts';
import { loggableError } from './connection-error.ts';
import { DAY_MS, PAGE_ROWS, POLL_MS, SLICE_ROWS, SMALL_LOG, type PostgresEventStoreOptions } from './postgres-store-options.ts';

export type { PostgresEventStoreOptions } from './postgres-store-options.ts';

/**
 * The event store in PostgreSQL (DATABASE_URL, issue 13), for deployments with several replicas. The
 * `events` table is the log (migrations/002-events.sql): an append is committed before it resolves, and
 * the primary key on the event id refuses duplicates whichever replica received them. Reads answer from
 * in-memory indexes as in the lowdb store (the /oig p99 target), which every replica keeps over the whole
 * table: loaded in pages after open() (appends are taken meanwhile: the hook answers within 2 s of a
 * start at 1M events) and kept current by reading what the other replicas append (NOTIFY, or a poll).
 */
export class PostgresEventStore implements EventStore {
  private db: Database | undefined;
  private readonly mirror = new LogMirror();
  private readonly commits = new GroupCommit<Submission, AppendResult>((batch) => this.writeBatch(batch));
  private state: 'new' | 'open' | 'closed' = 'new';
  private readonly writes: WriteHealth;
  private commitCount = 0;
  private bytesWritten = 0;
  private lastReceivedAt: string | undefined;
  /** while the start-up load runs */
  private loading: LoadProgress | undefined;
  private readonly loaded: Promise<void>;
  private settleLoaded!: () => void;
  /** reads of the log, one at a time (the load, then the tail) */
  private reading: Promise<void> = Promise.resolve();
  private readAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private listener: PgListener | undefined;
  private retainedBefore: string | undefined;
  /** names this process in its append notifications */
  private readonly replica = `r${randomBytes(6).toString('hex')}`;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.writes = new WriteHealth(options.onWriteFailure);
    this.loaded = new Promise<void>((resolve) => (this.settleLoaded = resolve));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  private get pool() {
    return this.db!.pool;
  }

  /** connects, brings the schema up to date, and takes appends; the read indexes load in the background */
  async open(): Promise<void> {
    const { url, database, log } = this.options;
    if (!database && !url) throw new Error('PostgresEventStore needs a DATABASE_URL or a database');
    this.db = database ?? (await openDatabase(url!, { log }));
    let state: Awaited<ReturnType<typeof readLogState>>;
    try {
      await migrate(this.db, { log });
      state = await readLogState(this.pool);
    } catch (e) {
      if (!database) await this.db.close();
      throw e;
    }
    this.retainedBefore = state.retainedBefore;
    this.state = 'open';
    // the last position is the total until the rows are counted (retention may have deleted some)
    this.loading = { loaded: 0, total: state.lastSeq };
    const delay = state.lastSeq > SMALL_LOG ? (this.options.loadDelayMs ?? 0) : 0;
    this.reading = delay > 0 ? new Promise<void>((r) => setTimeout(r, delay).unref()).then(() => this.load()) : this.load();
  }

  loadProgress(): LoadProgress | undefined {
    return this.loading && { ...this.loading };
  }

  /** resolves when the load is done, or stopped by close() (then loadProgress() still says how far it came) */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** pages through the log from the start; a failed page is retried (the database may be restarting) */
  private async load(): Promise<void> {
    const started = Date.now();
    let wait = this.options.pollMs ?? POLL_MS;
    while (this.state === 'open') {
      try {
        if (this.loading!.loaded === 0) this.loading!.total = await countEvents(this.pool);
        // appends committed here during the last pages are read again, so whenLoaded() covers them (a few passes
        // at most: under a steady stream of deliveries the tail takes the rest)
        for (let pass = 0; pass === 0 || (this.mirror.holdsOwn && pass < 5); pass++) {
          await this.readPages(true, (n) => {
            this.loading!.loaded += n;
            // appends during the load make the table grow: the total follows
            this.loading!.total = Math.max(this.loading!.total, this.loading!.loaded);
          });
        }
        break;
      } catch (err) {
        this.options.log.error({ err: loggableError(err), loaded: this.loading!.loaded }, 'reading the event log from PostgreSQL failed; retrying');
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 30_000);
      }
    }
    if (this.state !== 'open') return;
    this.mirror.finishLoad();
    this.options.log.info({ events: this.mirror.size, ms: Date.now() - started }, 'event store loaded from PostgreSQL');
    this.loading = undefined;
    this.settleLoaded();
    // another replica's append (this one's own need no read); on (re)connecting, what came meanwhile
    this.listener = new PgListener(this.pool, EVENTS_CHANNEL, { notified: (who) => who !== this.replica && void this.follow(), listening: () => void this.follow() }, this.options.log, 'new events');
    void this.listener.start();
    // the listener reconnects by itself; the poll covers notifications lost meanwhile
    this.pollTimer = setInterval(() => void this.follow(), this.options.pollMs ?? POLL_MS).unref();
  }

  /**
   * Reads the log after the frontier to its end, in pages, parsed and indexed in slices with a turn of the
   * event loop between two: parsing is most of the time, and the hook and /oig must keep answering.
   */
  private async readPages(loading: boolean, onRecords?: (n: number) => void): Promise<void> {
    const pageRows = this.options.pageRows ?? PAGE_ROWS;
    for (;;) {
      const page = await readPage(this.pool, this.mirror.frontier, pageRows);
      for (let i = 0; i < page.texts.length && this.state === 'open'; i += SLICE_ROWS) {
        const slice = page.texts.slice(i, i + SLICE_ROWS).map((t) => JSON.parse(t) as EventRecord);
        this.mirror.read(slice, i + SLICE_ROWS >= page.texts.length ? page.last : slice[slice.length - 1]!.seq!, loading);
        onRecords?.(slice.length);
        await new Promise((r) => setImmediate(r));
      }
      if (page.texts.length < pageRows || this.state !== 'open') return;
    }
  }

  /** reads what was appended after the frontier (by any replica); one read at a time, repeated when asked meanwhile */
  private follow(): Promise<void> {
    if (this.loading || this.state !== 'open') return this.reading;
    this.readAgain = true;
    this.reading = this.reading.then(async () => {
      if (!this.readAgain || this.state !== 'open') return;
      this.readAgain = false;
      try {
        await this.readTail();
      } catch (err) {
        this.options.log.warn({ err: loggableError(err) }, 'reading new events from PostgreSQL failed; retried at the next poll');
      }
    });
    return this.reading;
  }

  private async readTail(): Promise<void> {
    const { retainedBefore } = await readLogState(this.pool);
    // another replica ran retention: drop the same records here
    if (retainedBefore !== undefined && (this.retainedBefore === undefined || retainedBefore > this.retainedBefore)) {
      this.retainedBefore = retainedBefore;
      this.mirror.dropBefore(retainedBefore);
    }
    await this.readPages(false);
  }

  append(records: readonly EventRecord[], json?: string): Promise<AppendResult> {
    if (this.state !== 'open') return Promise.reject(new StoreClosedError());
    return this.commits.submit({ records, json });
  }

  /** one transaction for every append that queued up meanwhile; the database decides what is new */
  private async writeBatch(batch: readonly Submission[]): Promise<AppendResult[]> {
    const made = batchJson(batch);
    const { json, candidates } = made;
    let stored: Map<string, number>;
    const client = await this.pool.connect().catch((e: unknown) => {
      this.writes.failed('commit', e);
      throw e;
    });
    try {
      stored = await insertNew(client, made, this.replica);
      client.release();
    } catch (e) {
      // a connection that broke mid-transaction is not handed out again
      client.release(e instanceof Error ? e : true);
      this.writes.failed('commit', e);
      throw e;
    }
    this.writes.succeeded('commit');
    this.commitCount++;
    this.bytesWritten += Buffer.byteLength(json);
    const results = batch.map(({ records }, i): AppendResult => {
      const fresh = candidates[i]!.filter((r) => stored.has(r.id)).map((r) => {
        const s = withPositionSlot(r);
        s.seq = stored.get(r.id)!;
        return s;
      });
      return { stored: fresh, duplicates: records.length - fresh.length };
    });
    const fresh = results.flatMap((r) => r.stored).sort((a, b) => a.seq! - b.seq!);
    if (fresh.length === 0) return results;
    this.lastReceivedAt = new Date().toISOString();
    // another replica appended in between: read its rows first, so the indexes and recordsAfter keep log order
    // and an append that resolved is readable here (not while the start-up load runs: it reaches them)
    if (!this.mirror.committed(fresh, !this.loading) && !this.loading) await this.follow();
    return results;
  }

  health(): StoreHealth {
    return this.writes.report(this.state === 'open');
  }

  /** the position through which this replica has read the log (its own appends and the other replicas') */
  onIndexed(listener: (records: readonly EventRecord[]) => void): void {
    this.mirror.onIndexed = listener;
  }

  get lastSeq(): number {
    return this.mirror.frontier;
  }

  recordsAfter(seq: number): EventRecord[] {
    return this.mirror.after(seq);
  }

  /**
   * Answers from what is loaded. Intake never asks it: duplicates are refused by the database in append(),
   * so an event that is not loaded yet is still stored once.
   */
  has(id: string): boolean {
    return this.mirror.get(id) !== undefined;
  }

  get(id: string): EventRecord | undefined {
    return this.mirror.get(id);
  }

  lookup(index: IndexName, key: string): readonly EventRecord[] {
    return this.mirror.indexes.lookup(index, key);
  }

  keys(index: IndexName): IterableIterator<string> {
    return this.mirror.indexes.keys(index);
  }

  between(from?: string, to?: string): EventRecord[] {
    return this.mirror.indexes.between(from, to);
  }

  decisionFor(item: string): DecisionRecord | undefined {
    return this.mirror.indexes.decisionFor(item);
  }

  campaignTotals(campaign: CampaignRef): CampaignTotals {
    return this.mirror.indexes.campaignTotals(campaign);
  }

  requestEvents(requestId: string): AccessRequestRecord[] {
    return this.mirror.indexes.lookup('request', requestId).filter((r): r is AccessRequestRecord => r.kind === 'access_request');
  }

  /** deletes old events in the database (the cutoff is written down: the other replicas drop them too) */
  async applyRetention(now = new Date()): Promise<number> {
    if (this.state !== 'open') throw new StoreClosedError();
    const cutoff = new Date(now.getTime() - this.options.retentionDays * DAY_MS).toISOString();
    const dropped = await deleteBefore(this.pool, cutoff);
    if (this.retainedBefore === undefined || cutoff > this.retainedBefore) this.retainedBefore = cutoff;
    this.mirror.dropBefore(cutoff);
    return dropped;
  }

  stats(): StoreStats {
    return {
      events: this.mirror.size,
      lastReceivedAt: this.lastReceivedAt,
      bytesWritten: this.bytesWritten,
      segments: 0,
      commits: this.commitCount,
    };
  }

  /** pending appends are committed, then the connections are closed; appends after close are refused */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    clearInterval(this.pollTimer);
    await this.commits.idle();
    await this.listener?.stop();
    await this.reading.catch(() => undefined);
    // as the lowdb store: a load stopped by close() settles whenLoaded() (nobody waits forever)
    if (this.loading) this.settleLoaded();
    if (!this.options.database) await this.db?.close();
  }
}
