/**
 * Waits that a stop can cut short: a delivery lane waiting out a Retry-After, routing waiting for a full
 * disk to take a batch again. `sleep` resolves after `ms` or as soon as `wakeAll` is called, so a clean stop
 * (SIGTERM) never waits for a backoff of 30 s or more to run out.
 */
export class Sleepers {
  private readonly waiting = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }
}

/** exponential backoff: `base`, 2×, 4× … capped at `max` (attempt counts from 1) */
export function backoffMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.min(attempt - 1, 20));
}
