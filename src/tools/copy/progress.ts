/**
 * Progress lines of a long copy (issue 13: "with progress on long runs"): at most one a second, so a
 * million events make a readable screen (or log) rather than two hundred lines, and always the last one.
 */
export class ProgressLine {
  private lastAt = 0;
  private lastDone = -1;

  constructor(
    private readonly say: (line: string) => void,
    private readonly what: string,
    private readonly everyMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `done` of `total`: printed when a second has passed since the last line, or when it is the end */
  update(done: number, total: number): void {
    const t = this.now();
    if (done === this.lastDone || (done < total && t - this.lastAt < this.everyMs)) return;
    this.lastAt = t;
    this.lastDone = done;
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    this.say(`copied ${done}/${total} ${this.what} (${pct}%)`);
  }
}
