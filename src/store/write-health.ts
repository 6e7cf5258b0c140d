/**
 * Whether the store can write (issue 11: "a store that cannot write shows it"). A failed commit (deliveries
 * are refused) or a failed checkpoint (the log grows, the segment files fall behind) makes it unhealthy
 * until the next good write of that kind, so /healthz says 503 and monitoring pages someone.
 */
import type { StoreHealth } from './event-store.ts';

export type WriteKind = 'commit' | 'checkpoint';

export class WriteHealth {
  private failure: { kind: WriteKind; message: string; since: string } | undefined;

  /** @param onFailure told about every failed write (a metric) */
  constructor(private readonly onFailure?: (kind: WriteKind) => void) {}

  failed(kind: WriteKind, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.onFailure?.(kind);
    this.failure = { kind, message, since: this.failure?.since ?? new Date().toISOString() };
  }

  succeeded(kind: WriteKind): void {
    if (this.failure?.kind === kind) this.failure = undefined;
  }

  report(open: boolean): StoreHealth {
    if (!open) return { ok: false, problem: 'the event store is not open' };
    if (!this.failure) return { ok: true };
    const what = this.failure.kind === 'commit' ? 'cannot write new events' : 'cannot write its files';
    return { ok: false, problem: `the event store ${what} since ${this.failure.since}: ${this.failure.message}` };
  }
}
