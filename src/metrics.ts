import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * The Prometheus metrics of GET /metrics (SPEC §3). One registry per app instance (not prom-client's
 * global one) so tests and several bots in one process do not share counters.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsReceived = this.counter('oig_events_received_total', 'Okta/ASA events received, by source', ['source']);
  readonly eventsStored = this.counter('oig_events_stored_total', 'events newly stored, by family', ['family']);
  readonly eventsDuplicate = this.counter('oig_events_duplicate_total', 'events received again and ignored', ['source']);
  readonly eventsUnparsed = this.counter('oig_events_unparsed_total', 'events stored raw because they could not be understood');
  readonly deliveries = this.counter('oig_hook_deliveries_total', 'Okta event hook deliveries, by HTTP status', ['status']);
  readonly cardsPosted = this.counter('oig_cards_posted_total', 'cards delivered, by channel kind', ['sink']);
  readonly cardsFailed = this.counter('oig_cards_failed_total', 'cards that could not be delivered, by channel kind', ['sink']);
  readonly queueDepth = new Gauge({ name: 'oig_queue_depth', help: 'cards waiting to be delivered', registers: [this.registry] });
  readonly pollRuns = this.counter('oig_poll_runs_total', 'poller runs, by poller and result', ['poller', 'result']);
  readonly storedEvents = new Gauge({ name: 'oig_store_events', help: 'events in the store', registers: [this.registry] });
  readonly routingBacklog = new Gauge({ name: 'oig_routing_backlog', help: 'stored events not yet routed into tasks and outboxes', registers: [this.registry] });
  readonly storeHealthy = new Gauge({ name: 'oig_store_healthy', help: '1 while the event store can write, 0 while its writes fail', registers: [this.registry] });
  readonly storeWriteFailures = this.counter('oig_store_write_failures_total', 'event store writes that failed, by kind (commit, checkpoint)', ['kind']);
  readonly storeLoaded = new Gauge({ name: 'oig_store_loaded_ratio', help: 'how much of the stored events a start has loaded (1 once /oig answers from all of them)', registers: [this.registry] });
  readonly ready = new Gauge({ name: 'oig_ready', help: '1 while GET /readyz answers 200 (store loaded, chat tokens accepted), else 0', registers: [this.registry] });

  constructor() {
    // the process itself (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_heap_size_used_bytes,
    // nodejs_eventloop_lag_seconds, nodejs_gc_duration_seconds …), on this registry only: another Bot in the
    // same process gets its own series instead of a "metric already registered" error
    collectDefaultMetrics({ register: this.registry });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
