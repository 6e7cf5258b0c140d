/**
 * The order of a state journal's work (pg-state-journal.ts): commits, and work that must run between two
 * writes in its place among them (catchUp). One loop drains it; each turn either runs the "between" work
 * at its head or hands the commits before the next one to `write`, which takes as many as it wants
 * (group commit) with `take()`.
 */
import type { Planned } from '../journal.ts';

export interface Waiting<S> {
  plan: (state: Readonly<S>) => Planned<unknown, unknown>;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

interface Between {
  run: () => Promise<void>;
}

export class CommitQueue<S> {
  private waiting: Array<Waiting<S> | Between> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  commit<R>(plan: (state: Readonly<S>) => Planned<unknown, R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ plan, resolve: resolve as (r: unknown) => void, reject });
      this.running ??= this.drain();
    });
  }

  between(fn: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ run: () => fn().then(resolve, reject) });
      this.running ??= this.drain();
    });
  }

  /** the next commit, unless "between" work comes first (or nothing waits) */
  take(): Waiting<S> | undefined {
    const head = this.waiting[0];
    if (!head || 'run' in head) return undefined;
    this.waiting.shift();
    return head;
  }

  /** resolves once nothing waits or runs */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // commits made in this turn of the event loop join the first write
    await new Promise((r) => setImmediate(r));
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      if ('run' in head) {
        this.waiting.shift();
        await head.run();
      } else {
        await this.write();
      }
    }
    this.running = undefined;
  }
}
