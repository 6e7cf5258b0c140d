/**
 * What one replica holds of the PostgreSQL event log in memory: the read indexes (event-indexes.ts) over
 * every row up to the `frontier`, the position through which it has read the log without a hole. Rows
 * come in two ways: pages read from the database in log order (the start-up load, then the tail of what
 * other replicas appended), and this process's own commits. An own commit that continues the log is
 * indexed at once; one that lands after rows not read yet (another replica wrote in between, or the
 * start-up load is still running) waits until the page that reaches it, so every index list stays in
 * log order and `after()` never hands out a position with an unread one before it.
 */
import type { EventRecord } from '../../domain/records.ts';
import { EventIndexes } from '../event-indexes.ts';
import { StringPool } from '../string-pool.ts';

export class LogMirror {
  indexes = new EventIndexes();
  /** every indexed record in log order (recordsAfter reads it by binary search) */
  private log: EventRecord[] = [];
  /** every position up to this one is indexed (or was deleted by retention) */
  frontier = 0;
  /** committed by this process after the frontier, not indexed yet: by id, in log order */
  private readonly own = new Map<string, EventRecord>();
  private readonly strings = new StringPool();
  /** told about records indexed after the start-up load, in log order (routing on the leading replica) */
  onIndexed: ((records: readonly EventRecord[]) => void) | undefined;

  /** records this process committed (positions set, in log order); true when they were indexed at once */
  committed(records: readonly EventRecord[], mayIndex: boolean): boolean {
    for (const r of records) this.strings.pool(r);
    if (mayIndex && this.own.size === 0 && records[0]?.seq === this.frontier + 1) {
      this.add(records);
      return true;
    }
    for (const r of records) this.own.set(r.id, r);
    return false;
  }

  /**
   * Rows read from the database, in log order, through position `last`. `loading`: a slice of the
   * start-up load, put on the timeline without keeping it in time order until finishLoad() (a backfill
   * makes log order and event time differ, and re-sorting the timeline per slice made a 500k load 4x slower).
   */
  read(records: readonly EventRecord[], last: number, loading = false): void {
    const fresh: EventRecord[] = [];
    for (const row of records) {
      if (row.seq! <= this.frontier) continue;
      // the object handed to the caller of append is the one indexed, not a second copy
      const mine = this.own.get(row.id);
      if (mine) this.own.delete(row.id);
      else this.strings.pool(row);
      fresh.push(mine ?? row);
    }
    this.add(fresh, loading);
    if (last > this.frontier) this.frontier = last;
    // an own row that retention deleted before it was read back
    for (const [id, r] of this.own) if (r.seq! <= this.frontier) this.own.delete(id);
  }

  /** the start-up load is over: the timeline is put in time order once */
  finishLoad(): void {
    this.indexes.finishLoad();
  }

  private add(records: readonly EventRecord[], loading = false): void {
    if (records.length === 0) return;
    if (loading) this.indexes.addLoaded(records);
    else this.indexes.addAll(records);
    for (const r of records) this.log.push(r);
    this.frontier = records[records.length - 1]!.seq!;
    if (!loading) this.onIndexed?.(records);
  }

  /** true when waiting for rows before them to be read */
  get holdsOwn(): boolean {
    return this.own.size > 0;
  }

  get(id: string): EventRecord | undefined {
    return this.indexes.byId.get(id) ?? this.own.get(id);
  }

  /** indexed records with a position after `seq`, in log order */
  after(seq: number): EventRecord[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid]!.seq! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  /** forgets the records before `cutoff` (event time); answers how many */
  dropBefore(cutoff: string): number {
    const kept = this.log.filter((r) => r.at >= cutoff);
    const dropped = this.log.length - kept.length;
    for (const [id, r] of this.own) if (r.at < cutoff) this.own.delete(id);
    if (dropped === 0) return 0;
    // rebuilding is simpler than unpicking every index, and about as fast (as in the lowdb store)
    const indexes = new EventIndexes();
    indexes.addAll(kept);
    this.indexes = indexes;
    this.log = kept;
    return dropped;
  }

  get size(): number {
    return this.log.length;
  }
}
