/**
 * The bot's own state in PostgreSQL (DATABASE_URL, issue 13 §1): documents (pg-state-doc.ts) and journals
 * (pg-state-journal.ts) in the tables of migrations/003-state.sql, so replicas without a disk share it.
 *
 * createStateStore() answers at once, so the pool is opened (and the schema migrated) on first use; the
 * documents and journals wait for it. `database()` hands the same pool to the other PostgreSQL parts of
 * the process (a leader lease, a forwarded-cards table).
 *
 * Every replica keeps the documents it opened current with the others' changes: a change is announced
 * with pg_notify at commit, a replica LISTENs (pg-listener.ts) and reads the documents whose version
 * moved; and it polls every `pollMs` as well, for a notification lost with a connection or a proxy that
 * does not pass them (`listen: false` then).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { JournalTuning } from '../journal.ts';
import type { JournalledState, StateKind } from '../state-journal.ts';
import type { StateStore } from '../state-store.ts';
import { loggableError } from './connection-error.ts';
import { openDatabase, type Database } from './database.ts';
import { migrate } from './migrate.ts';
import { PgStateDoc, readNotice, type DocHost } from './pg-state-doc.ts';
import { PgStateJournal } from './pg-state-journal.ts';
import { PgListener } from './pg-listener.ts';

export interface PgStateStoreOptions {
  /** DATABASE_URL: the store opens its own pool (at most 4 connections), and closes it */
  url?: string;
  /** or a database the process shares between its PostgreSQL parts (not closed by close()) */
  database?: Database;
  log: Logger;
  /** how often the documents are read for other replicas' changes when no notification came (default 1000 ms) */
  pollMs?: number;
  /** false where notifications do not pass (PgBouncer in transaction mode): the poll alone then (default true) */
  listen?: boolean;
}

/** the channel document changes are announced on */
export const STATE_CHANNEL = 'oig_state';
const POLL_MS = 1000;
/**
 * Connections of the state pool: its LISTEN connection, and on the leader the forwarded-cards drain's LISTEN
 * and transaction (replica/forwarded-cards.ts, which shares this pool), leave three for documents and journals.
 */
const POOL_MAX = 6;

export class PgStateStore implements StateStore {
  readonly kind = 'postgres';
  private opening: Promise<Database> | undefined;
  private owned: Database | undefined;
  private closed = false;
  private readonly followed = new Set<PgStateDoc<object>>();
  private listener: PgListener | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readAgain = false;
  private readonly host: DocHost;

  constructor(private readonly o: PgStateStoreOptions) {
    if (!o.url && !o.database) throw new Error('PgStateStore needs a DATABASE_URL or a database');
    const replica = `s${randomBytes(6).toString('hex')}`;
    this.host = {
      database: () => this.database(),
      channel: STATE_CHANNEL,
      replica,
      follow: (doc) => this.follow(doc),
    };
  }

  /** the pool, opened and migrated (once; a failed attempt is tried again at the next call) */
  database(): Promise<Database> {
    if (this.closed) return Promise.reject(new Error('the PostgreSQL state store is closed'));
    this.opening ??= this.connect().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async connect(): Promise<Database> {
    const { url, database, log } = this.o;
    const db = database ?? (await openDatabase(url!, { log, max: POOL_MAX, applicationName: 'oig-chatops state' }));
    try {
      await migrate(db, { log });
    } catch (err) {
      if (!database) await db.close();
      throw err;
    }
    if (!database) this.owned = db;
    return db;
  }

  doc<T extends object>(name: string, defaults: T): PgStateDoc<T> {
    return new PgStateDoc<T>(this.host, name, defaults);
  }

  async journal<S extends JournalledState<Op>, Op>(name: string, kind: StateKind<S>, o: JournalTuning & { log?: Logger } = {}): Promise<PgStateJournal<S, Op>> {
    const db = await this.database();
    return PgStateJournal.open<S, Op>(db, name, kind, { ...o, log: o.log ?? this.o.log.child({ component: name }) });
  }

  /** from its first open or change on, a document's `data` follows the other replicas' changes */
  private follow(doc: PgStateDoc<object>): void {
    if (this.closed || this.followed.has(doc)) return;
    this.followed.add(doc);
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.refresh(), this.o.pollMs ?? POLL_MS).unref();
    if (this.o.listen === false) return;
    void this.database().then(
      (db) => {
        if (this.closed) return;
        this.listener = new PgListener(db.pool, STATE_CHANNEL, { notified: (p) => this.notified(p), listening: () => void this.refresh() }, this.o.log, 'state changes');
        return this.listener.start();
      },
      // the document's own open() or change reports this; the poll keeps trying
      () => undefined,
    );
  }

  /** true while other replicas' changes arrive by notification (else by the poll alone) */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  private notified(payload: string): void {
    const n = readNotice(payload);
    if (!n || n.replica === this.host.replica) return;
    for (const doc of this.followed) if (doc.name === n.name && doc.version < n.version) return void this.refresh();
  }

  /** reads the followed documents whose stored version is newer than what this process holds; one read at a time */
  private refresh(): Promise<void> {
    this.readAgain = true;
    this.reading = this.reading.then(async () => {
      if (!this.readAgain || this.closed || this.followed.size === 0) return;
      this.readAgain = false;
      const seen = new Map<string, number>();
      for (const doc of this.followed) seen.set(doc.name, Math.min(seen.get(doc.name) ?? Infinity, doc.version));
      try {
        const db = await this.database();
        const { rows } = await db.pool.query<{ name: string; version: string; data: string }>(
          `SELECT d.name, d.version, d.data::text AS data FROM state_docs d
           JOIN unnest($1::text[], $2::bigint[]) AS k(name, version) ON d.name = k.name
           WHERE d.version > k.version`,
          [[...seen.keys()], [...seen.values()]],
        );
        for (const row of rows) for (const doc of this.followed) if (doc.name === row.name) doc.offer(Number(row.version), row.data);
      } catch (err) {
        this.o.log.warn({ err: loggableError(err) }, 'reading other replicas\u2019 state changes from PostgreSQL failed; tried again at the next poll');
      }
    });
    return this.reading;
  }

  /** stops following, and closes the pool this store opened (documents and journals are closed by their users) */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pollTimer);
    await this.listener?.stop();
    await this.reading;
    await this.opening?.catch(() => undefined);
    await this.owned?.close();
  }
}
