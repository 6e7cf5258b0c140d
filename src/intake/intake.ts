import type { Logger } from 'pino';
import type { EventRecord, Source } from '../domain/records.ts';
import { eventLog, tracing } from '../event-log.ts';
import type { Metrics } from '../metrics.ts';
import { normalizeEvent } from '../normalize/index.ts';
import type { AppendResult, EventStore } from '../store/event-store.ts';
import { markHistory } from './history.ts';
import type { ParsedDelivery } from './parse-delivery.ts';
import { sortByTime } from './parse-delivery.ts';
import { RecentIds } from './recent-ids.ts';

/** told synchronously about newly committed records, in log order; must only take note (queue), never wait */
export type StoredListener = (records: readonly EventRecord[]) => void;

/**
 * The one path every event takes, whatever brought it (hook, System Log backfill, ASA poller, demo):
 * normalize → store (durable, deduplicated) → hand what is new to routing (src/route/routing.ts), which
 * works from the log position on, after the caller got its answer: a slow chat never delays Okta's ack,
 * and a crash after the ack loses nothing, because routing resumes from what is on disk.
 */
export class Intake {
  private readonly recentDeliveries = new RecentIds(10_000);
  private readonly listeners: StoredListener[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  onStored(listener: StoredListener): void {
    this.listeners.push(listener);
  }

  /**
   * A hook delivery, parsed and normalized by the worker pool. A retried envelope (same eventId) that was
   * stored before is acknowledged at once; its events would be deduplicated anyway.
   */
  async receiveDelivery(delivery: ParsedDelivery, source: Source): Promise<AppendResult> {
    this.metrics.eventsReceived.inc({ source }, delivery.count);
    if (delivery.eventId && this.recentDeliveries.has(delivery.eventId)) {
      this.metrics.eventsDuplicate.inc({ source }, delivery.count);
      return { stored: [], duplicates: delivery.count };
    }
    for (const w of delivery.warnings) this.log.warn({ event: w.id, type: w.type }, w.warning);
    const records = JSON.parse(delivery.recordsJson) as EventRecord[];
    const result = await this.store.append(records, delivery.recordsJson);
    this.afterAppend(result, source);
    if (delivery.eventId) this.recentDeliveries.add(delivery.eventId);
    return result;
  }

  /** raw Okta LogEvents from other sources (System Log backfill, demo); resolves once the new ones are durable */
  async receiveEvents(events: readonly unknown[], source: Source): Promise<AppendResult> {
    this.metrics.eventsReceived.inc({ source }, events.length);
    const records = events.map((raw) => {
      const { record, warning } = normalizeEvent(raw, source);
      if (warning) this.log.warn({ event: record.id, type: record.type }, warning);
      return record;
    });
    return this.receiveRecords(records, source);
  }

  /** records already normalized (the ASA poller resolves its own) */
  async receiveRecords(records: EventRecord[], source: Source): Promise<AppendResult> {
    sortByTime(records);
    markHistory(records, source);
    const result = await this.store.append(records);
    this.afterAppend(result, source);
    return result;
  }

  private afterAppend(result: AppendResult, source: Source): void {
    // before the listeners: routing may log its own line for the record at once
    if (tracing(this.log)) for (const r of result.stored) eventLog(this.log, r).debug({ source, seq: r.seq }, 'event stored');
    if (result.stored.length > 0) for (const listener of this.listeners) listener(result.stored);
    this.metrics.eventsDuplicate.inc({ source }, result.duplicates);
    const byFamily = new Map<string, number>();
    for (const r of result.stored) {
      byFamily.set(r.family, (byFamily.get(r.family) ?? 0) + 1);
      if (r.kind === 'unparsed') this.metrics.eventsUnparsed.inc();
    }
    for (const [family, n] of byFamily) this.metrics.eventsStored.inc({ family }, n);
    this.metrics.storedEvents.set(this.store.stats().events);
  }
}
