/**
 * A state document in PostgreSQL (migrations/003-state.sql, state_docs): one row per name, its JSON and a
 * version that goes up by one per change. A change runs in one transaction on the row's lock and is
 * applied to the newest version, not to what this process last saw, so two replicas changing one
 * document (two presses of a task's buttons on two replicas) both land. Other replicas' changes reach
 * `data` through the store (pg-state-store.ts: LISTEN, and a poll), by the version: a newer one replaces it.
 */
import type pg from 'pg';
import type { StateDoc } from '../state-store.ts';
import type { Database } from './database.ts';
import { stateDatabaseError } from './pg-journal-fence.ts';

/** what a document needs from its store */
export interface DocHost {
  database(): Promise<Database>;
  /** the channel a change is announced on, and this process's name in the payload */
  readonly channel: string;
  readonly replica: string;
  /** keeps the document's `data` current with the other replicas' changes from now on */
  follow(doc: PgStateDoc<object>): void;
}

/** the notification of a change: "<replica> <name> <version>" (names and replicas have no spaces) */
export function changeNotice(replica: string, name: string, version: number): string {
  return `${replica} ${name} ${version}`;
}

export function readNotice(payload: string): { replica: string; name: string; version: number } | undefined {
  const [replica, name, version] = payload.split(' ');
  return replica && name && version && /^\d+$/.test(version) ? { replica, name, version: Number(version) } : undefined;
}

export class PgStateDoc<T extends object> implements StateDoc<T> {
  private current: T;
  /** the stored text of `current` (copies for a change are parsed from it: exactly the stored version) */
  private text: string;
  /** 0: nothing stored yet (the defaults) */
  private seen = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: DocHost,
    readonly name: string,
    private readonly defaults: T,
  ) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`state document name must be lower-case letters, digits and dashes: ${name}`);
    this.text = JSON.stringify(defaults);
    this.current = JSON.parse(this.text) as T;
  }

  /** reads the stored document (or keeps the defaults when there is none yet), and follows it from then on */
  async open(): Promise<this> {
    const db = await this.host.database();
    const { rows } = await db.pool
      .query<{ version: string; data: string }>('SELECT version, data::text AS data FROM state_docs WHERE name = $1', [this.name])
      .catch((err: unknown) => Promise.reject(stateDatabaseError(err, `reading the state document ${this.name}`)));
    if (rows[0]) this.offer(Number(rows[0].version), rows[0].data);
    this.host.follow(this as PgStateDoc<object>);
    return this;
  }

  get data(): Readonly<T> {
    return this.current;
  }

  /** the version `data` is (0: the defaults, nothing stored yet) */
  get version(): number {
    return this.seen;
  }

  /** a version read from the database; taken when it is newer than what this holds */
  offer(version: number, text: string): void {
    if (version <= this.seen) return;
    this.current = JSON.parse(text) as T;
    this.text = text;
    this.seen = version;
  }

  /**
   * Applies `change` to a copy of the newest stored version under the row's lock, writes it as the next
   * version and announces it; `data` is the new version once committed. A change that throws, or a write
   * that fails, rejects and leaves `data` as it was. Changes made here run one after another.
   */
  update(change: (draft: T) => void): Promise<void> {
    const run = this.queue.then(() => this.write(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(change: (draft: T) => void): Promise<void> {
    const db = await this.host.database();
    const client = await db.pool.connect().catch((err: unknown) => Promise.reject(stateDatabaseError(err, `changing the state document ${this.name}`)));
    let broken: Error | undefined;
    /** the change's own error, passed on as it is */
    let own: unknown;
    try {
      await client.query('BEGIN');
      let row = await this.lock(client);
      if (!row) {
        // the first change anywhere: the row starts as the defaults, version 0
        await client.query('INSERT INTO state_docs (name, version, data) VALUES ($1, 0, $2) ON CONFLICT (name) DO NOTHING', [this.name, JSON.stringify(this.defaults)]);
        row = (await this.lock(client))!;
      }
      const newest = row.data ?? this.text;
      const draft = JSON.parse(newest) as T;
      try {
        change(draft);
      } catch (err) {
        own = err;
        throw err;
      }
      const text = JSON.stringify(draft);
      const version = Number(row.version) + 1;
      await client.query(
        `WITH changed AS (UPDATE state_docs SET version = $2, data = $3, updated_at = now() WHERE name = $1 RETURNING 1)
         SELECT pg_notify($4, $5) FROM changed`,
        [this.name, version, text, this.host.channel, changeNotice(this.host.replica, this.name, version)],
      );
      await client.query('COMMIT');
      if (version > this.seen) {
        this.current = draft;
        this.text = text;
        this.seen = version;
      }
      this.host.follow(this as PgStateDoc<object>);
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err === own ? err : stateDatabaseError(err, `changing the state document ${this.name}`);
    } finally {
      // a connection that could not even roll back is not handed out again
      client.release(broken);
    }
  }

  /** the row, locked; its data only when it is not the version this process holds (no need to send it again) */
  private async lock(client: pg.PoolClient): Promise<{ version: string; data: string | null } | undefined> {
    const { rows } = await client.query<{ version: string; data: string | null }>(
      'SELECT version, CASE WHEN version = $2 THEN NULL ELSE data::text END AS data FROM state_docs WHERE name = $1 FOR UPDATE',
      [this.name, this.seen],
    );
    return rows[0];
  }
}
