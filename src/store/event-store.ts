import { AppError } from '../errors.ts';
import type { EventRecord } from '../domain/records.ts';
import type { RouteContext } from '../route/route-context.ts';
import type { IndexName } from './index-keys.ts';

/** What one append did: the records that are new (now durable) and how many were already stored. */
export interface AppendResult {
  stored: EventRecord[];
  duplicates: number;
}

/** whether the store can write (see /healthz) */
export interface StoreHealth {
  ok: boolean;
  /** what is wrong, for the operator */
  problem?: string;
}

export interface StoreStats {
  events: number;
  /** when the newest record was committed (wall clock), ISO */
  lastReceivedAt?: string;
  /** bytes written to disk by this process since open */
  bytesWritten: number;
  segments: number;
  /** durable writes made for appends (group commit: concurrent appends share one) */
  commits: number;
}

/** how far a store that is still loading its indexes has come (fast start: the hook is answered meanwhile) */
export interface LoadProgress {
  loaded: number;
  total: number;
}

/**
 * The event store (SPEC §7). The embedded default is lowdb (LowdbEventStore); the interface is what a
 * server database would implement for deployments with several replicas. Reads are synchronous because
 * they are answered from in-memory indexes; writes resolve only when the records are durable.
 */
export interface EventStore extends RouteContext {
  readonly isOpen: boolean;
  /**
   * Opens the store for appends. A store may accept appends before its read indexes are loaded (issue 13:
   * the hook must answer within 2 s of a start at 1M events); reads then answer from what is loaded so far,
   * and `loadProgress` says how far that is.
   */
  open(): Promise<void>;
  /** while the read indexes are still loading after open(): how far; undefined once reads see everything */
  loadProgress(): LoadProgress | undefined;
  /** resolves once the read indexes are loaded (at once when they are) */
  whenLoaded(): Promise<void>;
  /**
   * Stores the records that are not stored yet (dedup on `id`, also within the call). Resolves after they
   * are on disk; concurrent calls share one write. Rejects if the write failed: then nothing was stored.
   * `json`, when given, is `JSON.stringify(records)` already made (by the normalizer worker), saving the
   * main thread from serializing them again.
   */
  append(records: readonly EventRecord[], json?: string): Promise<AppendResult>;
  has(id: string): boolean;
  get(id: string): EventRecord | undefined;
  lookup(index: IndexName, key: string): readonly EventRecord[];
  keys(index: IndexName): IterableIterator<string>;
  /** records with from <= at < to, oldest first */
  between(from?: string, to?: string): EventRecord[];
  /** the log position (`EventRecord.seq`) of the newest committed record; 0 when none has one */
  readonly lastSeq: number;
  /** the stored records with a log position after `seq`, in log order (what routing has not handled yet) */
  recordsAfter(seq: number): EventRecord[];
  /**
   * A store shared by several processes (PostgreSQL) tells `listener` about every record as it joins the
   * read indexes after the load, in log order, whichever process appended it: what the leading replica
   * routes (an own append may land after rows another replica wrote first). The embedded store has only
   * its own appends, in order, and leaves this out.
   */
  onIndexed?(listener: (records: readonly EventRecord[]) => void): void;
  /** false while writes fail (a full disk, a read-only folder): /healthz answers 503 */
  health(): StoreHealth;
  /** drops events older than the retention window; returns how many */
  applyRetention(now?: Date): Promise<number>;
  stats(): StoreStats;
  /** waits for pending writes, then closes; appends after close are refused */
  close(): Promise<void>;
}

export class StoreClosedError extends AppError {
  constructor() {
    super('STORE_CLOSED', 'the event store is closed', 503);
  }
}
