/**
 * A journalled state (the outboxes, the message references) in PostgreSQL: the form journal.ts has in
 * files, with rows instead of lines (migrations/003-state.sql). The state lives in memory; open() rebuilds
 * it from the newest snapshot and the changes after it, in order.
 *
 * Group commit: commits that arrive while a write runs are planned one after another on the state, each
 * applied in memory so the next one plans on it, and written together, one INSERT for all (a burst of 10k
 * outbox changes costs a few dozen round trips, not 10k). A commit resolves once its row is committed.
 * So `state` shows a change a moment before it is durable; if the write fails the state is rebuilt from
 * the database, and every commit of that write rejects.
 *
 * One writer per journal is the design (the leading replica). A second one must never corrupt it: each
 * write moves the journal's head from the position this process holds, in the same statement, so a write
 * planned on a stale state writes nothing and rejects with JournalFencedError, the state going back to
 * what it was (or, if the other writer compacted that away, to what it wrote), and the journal refuses
 * every commit until `catchUp()`, which reads what the other writer wrote: a replica that becomes the
 * leader calls it before it writes.
 *
 * Compaction as in journal.ts: once the changes after the snapshot pass 4× the live state plus a floor,
 * a new snapshot replaces them, in one transaction.
 */
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { JournalTuning, Planned } from '../journal.ts';
import type { JournalledState, StateKind } from '../state-journal.ts';
import type { StateJournal } from '../state-store.ts';
import { loggableError } from './connection-error.ts';
import type { Database } from './database.ts';
import { CommitQueue, type Waiting } from './pg-commit-queue.ts';
import { JournalFencedError, knownFailed, stateDatabaseError } from './pg-journal-fence.ts';
import { appendOps, compactJournal, createJournal, readJournal, rebuild, type StoredJournal } from './pg-journal-sql.ts';

const DEFAULT_FLOOR = 1024 * 1024;
const GROWTH = 4;
/** a write takes commits until their changes pass this many bytes (one statement's parameter stays modest) */
const BATCH_BYTES = 4 * 1024 * 1024;

export { JournalFencedError } from './pg-journal-fence.ts';

export class PgStateJournal<S extends JournalledState<Op>, Op> implements StateJournal<S, Op> {
  private readonly queue = new CommitQueue<S>(async () => {
    await this.writeBatch();
    await this.compactIfDue();
  });
  private closed = false;
  /** the last change in `state` (ahead of `durable` only while a write runs) */
  private seq: number;
  /** the last change known to be in the database */
  private durable: number;
  /** bytes of the changes after the snapshot, for the compaction threshold */
  private opsBytes: number;
  private retryAt = 0;
  /** `state` may not be what the database holds (a write whose outcome is unknown): read it before writing */
  private stale = false;
  /** another writer took the journal: commits are refused until catchUp() */
  private fenced = false;
  private bytes = 0;
  private writes = 0;

  private constructor(
    private readonly db: Database,
    readonly name: string,
    private readonly kind: StateKind<S>,
    private readonly log: Logger,
    private readonly floorBytes: number,
    private current: S,
    stored: StoredJournal,
  ) {
    this.seq = this.durable = stored.lastSeq;
    this.opsBytes = stored.ops.reduce((n, o) => n + o.text.length, 0);
  }

  static async open<S extends JournalledState<Op>, Op>(db: Database, name: string, kind: StateKind<S>, o: JournalTuning & { log: Logger }): Promise<PgStateJournal<S, Op>> {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`journal name must be lower-case letters, digits and dashes: ${name}`);
    let stored: StoredJournal;
    try {
      await createJournal(db.pool, name, JSON.stringify(kind.create().encode()));
      stored = (await readJournal(db.pool, name))!;
    } catch (err) {
      throw stateDatabaseError(err, `reading the state journal ${name}`);
    }
    const state = rebuild<S, Op>(kind, stored);
    return new PgStateJournal<S, Op>(db, name, kind, o.log, o.floorBytes ?? DEFAULT_FLOOR, state, stored);
  }

  get state(): Readonly<S> {
    return this.current;
  }

  /** bytes of changes and snapshots this journal wrote since it was opened */
  get bytesWritten(): number {
    return this.bytes;
  }

  /** statements that wrote changes since it was opened (one per group of commits) */
  get commits(): number {
    return this.writes;
  }

  /** the position of the last change this process holds */
  get position(): number {
    return this.seq;
  }

  commit<R>(plan: (state: Readonly<S>) => Planned<Op, R>): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('STATE_CLOSED', `the state journal ${this.name} is closed`));
    return this.queue.commit(plan);
  }

  /** applies the changes another writer made after this process's position (before this one writes again) */
  catchUp(): Promise<void> {
    return this.queue.between(async () => {
      try {
        await this.readOn();
      } catch (err) {
        throw stateDatabaseError(err, `catching up the state journal ${this.name}`);
      }
    });
  }

  private async readOn(): Promise<void> {
    const stored = this.stale ? undefined : await readJournal(this.db.pool, this.name, this.seq);
    // compacted past this position (or unsure what this process holds): the whole state again
    if (!stored || stored.snapshot !== undefined) {
      await this.reload();
    } else {
      for (const o of stored.ops) this.current.apply(JSON.parse(o.text) as Op);
      this.opsBytes += stored.ops.reduce((n, o) => n + o.text.length, 0);
      this.seq = this.durable = stored.lastSeq;
    }
    this.fenced = false;
  }

  /** waits for pending commits; later ones are refused */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.idle();
  }

  /** plans what waits (up to BATCH_BYTES of changes), applies it in memory, writes it in one statement */
  private async writeBatch(): Promise<void> {
    if (this.fenced) {
      for (let w = this.queue.take(); w; w = this.queue.take()) w.reject(new JournalFencedError(this.name));
      return;
    }
    if (this.stale) {
      try {
        await this.reload();
      } catch (err) {
        for (let w = this.queue.take(); w; w = this.queue.take()) w.reject(err);
        return;
      }
    }
    const texts: string[] = [];
    const held: Array<{ w: Waiting<S>; result: unknown }> = [];
    let size = 0;
    for (let w = this.queue.take(); w; w = size < BATCH_BYTES ? this.queue.take() : undefined) {
      let planned: Planned<unknown, unknown>;
      try {
        planned = w.plan(this.current);
      } catch (err) {
        w.reject(err);
        continue;
      }
      if (planned.op === undefined) {
        // planned on durable state: done; on a change not yet written: it waits for that write
        if (texts.length === 0) w.resolve(planned.result);
        else held.push({ w, result: planned.result });
        continue;
      }
      const text = JSON.stringify(planned.op);
      try {
        this.current.apply(planned.op as Op);
      } catch (err) {
        // a half-applied change: nothing of this batch is written, the state is read back
        held.push({ w, result: undefined });
        await this.fail(held, err, true, err);
        return;
      }
      texts.push(text);
      size += text.length;
      this.seq += 1;
      held.push({ w, result: planned.result });
    }
    if (texts.length === 0) return;
    try {
      const n = await appendOps(this.db.pool, this.name, this.durable, texts);
      if (n === 0) throw new JournalFencedError(this.name);
      if (n !== texts.length) throw new Error(`the state journal ${this.name} took ${n} of ${texts.length} changes`);
    } catch (err) {
      await this.fail(held, err, knownFailed(err));
      return;
    }
    this.durable = this.seq;
    this.writes += 1;
    this.bytes += size;
    this.opsBytes += size;
    for (const h of held) h.w.resolve(h.result);
  }

  /**
   * A write failed: every commit of it rejects, and the state goes back to the database's. `known`: the
   * database surely holds nothing of it (the statement failed), so the state goes back to the last
   * durable change (or, when another writer compacted that away, to what the database holds now);
   * otherwise (the connection broke: it may have committed) to what the database holds. Fenced (another
   * writer moved the head): refused from now on, until catchUp().
   */
  private async fail(held: Array<{ w: Waiting<S> }>, err: unknown, known: boolean, own?: unknown): Promise<void> {
    const fenced = err instanceof JournalFencedError || (err as { code?: string }).code === '23505';
    const reason = own ?? (fenced ? new JournalFencedError(this.name) : stateDatabaseError(err, `writing the state journal ${this.name}`));
    this.stale = true;
    if (fenced) this.fenced = true;
    try {
      await this.reload(known ? this.durable : undefined);
    } catch (e) {
      this.log.warn({ err: loggableError(e), journal: this.name }, 'could not read the state journal back after a failed write; it is read again before the next one');
    }
    if (fenced) this.log.error({ journal: this.name, position: this.seq }, 'another replica wrote this state journal: this process no longer writes it');
    else this.log.warn({ err: loggableError(err), journal: this.name }, 'writing to the state journal failed; its commits were rejected');
    for (const h of held) h.w.reject(reason);
  }

  /** rebuilds the state from the database: as it was at `upTo` when that is still there, else as it is */
  private async reload(upTo?: number): Promise<void> {
    let stored = upTo === undefined ? undefined : await readJournal(this.db.pool, this.name, undefined, upTo);
    if (!stored) {
      if (upTo !== undefined) this.log.warn({ journal: this.name, position: upTo }, 'another replica compacted this state journal: taking its state as it is now');
      stored = (await readJournal(this.db.pool, this.name))!;
    }
    this.current = rebuild<S, Op>(this.kind, stored);
    this.seq = this.durable = stored.snapshotSeq + stored.ops.length;
    this.opsBytes = stored.ops.reduce((n, o) => n + o.text.length, 0);
    this.stale = false;
  }

  private async compactIfDue(): Promise<void> {
    if (this.stale || this.seq !== this.durable) return;
    const threshold = GROWTH * this.current.bytes + this.floorBytes;
    if (this.opsBytes <= threshold || this.opsBytes < this.retryAt) return;
    const snapshot = JSON.stringify(this.current.encode());
    try {
      if (!(await compactJournal(this.db.pool, this.name, this.seq, snapshot))) throw new JournalFencedError(this.name);
      this.bytes += snapshot.length;
      this.opsBytes = 0;
      this.retryAt = 0;
    } catch (err) {
      // the changes are durable already; compaction is tried again once some more were written
      this.retryAt = this.opsBytes + this.floorBytes;
      this.log.warn({ err: loggableError(err), journal: this.name }, 'could not compact the state journal; it keeps growing until it can');
    }
  }
}
