/**
 * Group commit: submissions that arrive while a write is running (or within the same turn of the event
 * loop) are written together in the next single write. Under load one fsync serves many Okta deliveries,
 * which is what keeps "persist before ack" fast (SPEC §3, §7).
 *
 * `writeBatch` receives the inputs in submission order and returns one result per input; if it throws,
 * every submission of that batch is rejected and nothing of it may have been applied.
 */
export class GroupCommit<I, O> {
  private pending: Array<{ input: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private exclusives: Array<() => Promise<void>> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly writeBatch: (inputs: I[]) => Promise<O[]>) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /**
   * Runs `fn` between two batches: no batch is being written while it runs, and submissions made
   * meanwhile wait for the next batch. For short maintenance steps such as rotating a log file.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.exclusives.push(() => fn().then(resolve, reject));
      this.running ??= this.drain();
    });
  }

  /** resolves when nothing is pending or being written (used by a clean shutdown) */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // let every delivery that is already parsed in this turn of the event loop join the first write
    await new Promise((r) => setImmediate(r));
    while (this.pending.length > 0 || this.exclusives.length > 0) {
      for (const run of this.exclusives.splice(0)) await run();
      if (this.pending.length === 0) continue;
      const batch = this.pending;
      this.pending = [];
      try {
        const out = await this.writeBatch(batch.map((w) => w.input));
        batch.forEach((w, i) => w.resolve(out[i] as O));
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.running = undefined;
  }
}
