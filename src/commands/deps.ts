/**
 * What the command engine reads. The store answers from memory; the work queue and the bot's status come
 * through small interfaces so the engine knows nothing of Slack, Teams or how pollers are built.
 */
import type { StillUsedReader } from '../correlate/still-used-watch.ts';
import type { TaskSource } from '../followup/task.ts';
import type { EventStore } from '../store/event-store.ts';

export interface PollerLine {
  name: string;
  lastRunAt?: string;
  /** "ok, 12 stored" or the error */
  result?: string;
  nextRunAt?: string;
}

export interface DeliveryLine {
  /** cards waiting for the chat product */
  outbox: number;
  /** ISO time the longest-waiting of them was queued (a parked channel keeps its cards: how long now) */
  oldestQueuedAt?: string;
  /** what needs a person, one line each */
  errors: string[];
}

/** plain-data functions: `/oig stats` calls them when asked, so the numbers are current */
export interface StatsSource {
  pollers?(): PollerLine[];
  delivery?(): DeliveryLine;
  /** stored events routing has not handed to the outboxes yet (a backlog after a restart, or a full disk) */
  unrouted?(): number;
}

export interface CommandDeps {
  /** `loadProgress`: while the store still loads (a fast start), queries answer "still loading, N%" */
  store: Pick<EventStore, 'lookup' | 'keys' | 'stats' | 'campaignTotals' | 'health'> & Partial<Pick<EventStore, 'loadProgress'>>;
  /** the manual-remediation work queue; without it `skipped` says it is not available */
  tasks?: TaskSource;
  stats?: StatsSource;
  /** "revoked but still used" flags (src/correlate): shown by `user`, counted by `stats` */
  stillUsed?: StillUsedReader;
  now?: () => Date;
}
