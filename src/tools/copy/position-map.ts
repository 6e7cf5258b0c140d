/**
 * Log positions across the copy (copy-to-postgres.ts). The lowdb store and PostgreSQL number the event log
 * each their own way (lowdb's positions have gaps where retention dropped records; the database numbers the
 * copied rows 1, 2, 3 … or after what it holds), yet the routing cursor and every outbox's `routedThrough`
 * are positions. Each is translated to the database position of the last copied record at or before it, so
 * a bot started on PostgreSQL routes exactly the records it had not routed on DATA_DIR: none twice, none skipped.
 */
export class PositionMap {
  /** lowdb positions, ascending (the copy reads the log in order) */
  private readonly from: number[] = [];
  /** the database position of each */
  private readonly to: number[] = [];

  /** records one copied record; called in lowdb log order */
  add(oldSeq: number, newSeq: number): void {
    const last = this.from[this.from.length - 1];
    if (last !== undefined && oldSeq <= last) throw new Error(`records must come in log order (${oldSeq} after ${last})`);
    this.from.push(oldSeq);
    this.to.push(newSeq);
  }

  get size(): number {
    return this.from.length;
  }

  /**
   * The database position for a lowdb position. Nothing routed (≤ 0) stays as it is; a position before every
   * copied record (retention dropped what it covered) becomes the one just before the first copied record.
   */
  translate(oldPosition: number): number {
    if (oldPosition <= 0 || this.from.length === 0) return oldPosition <= 0 ? oldPosition : 0;
    // the last index whose lowdb position is ≤ oldPosition
    let lo = 0;
    let hi = this.from.length - 1;
    if (this.from[0]! > oldPosition) return this.to[0]! - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.from[mid]! <= oldPosition) lo = mid;
      else hi = mid - 1;
    }
    return this.to[lo]!;
  }
}
