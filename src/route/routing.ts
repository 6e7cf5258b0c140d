/**
 * Durable routing (issue 11): the event log is the source of truth, and tasks and cards derive from it.
 * Intake hands every newly committed record here (in log order); a single pump routes them in batches:
 *
 *   1. the work queue opens or closes manual-remediation tasks (durable, and harmless to repeat);
 *   2. `cardsFor` (route.ts, pure) says which cards each record makes, and stages with memory (route-stage.ts:
 *      "revoked but still used") add theirs;
 *   3. the dispatcher (src/delivery) summarises history, folds bursts into digests and queues the cards in
 *      every outbox, each outbox writing the batch's log position in the same write as its cards;
 *   4. the routing cursor (routing-cursor.ts) moves past the batch.
 *
 * At start, whatever was stored after the cursor is routed before anything new: a kill -9 after Okta's
 * ack, during routing or during posting loses nothing. An outbox that already has a batch (its position is
 * at or past it) is skipped, so nothing is queued twice; batches are cut at those positions so that each
 * outbox either has a whole batch or none of it. A failing consumer (disk full) holds the pump and is
 * retried; nothing moves past it. A clean stop lets the pump finish, within a time budget.
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { EventRecord, RemediationRecord } from '../domain/records.ts';
import { DispatchStopped, type CardDispatcher } from '../delivery/card-dispatcher.ts';
import type { RoutedRecord } from '../delivery/digest.ts';
import { eventLog, tracing } from '../event-log.ts';
import type { Metrics } from '../metrics.ts';
import { backoffMs, Sleepers } from '../sleepers.ts';
import type { EventStore } from '../store/event-store.ts';
import { cardsFor } from './route.ts';
import type { RouteStage } from './route-stage.ts';
import type { RoutingCursor } from './routing-cursor.ts';

/** the work queue as routing feeds it */
export interface TaskIntake {
  onStored(records: readonly EventRecord[]): Promise<void>;
  /** opens tasks for stored remediations that have none (a data folder from before durable routing) */
  reconcile(remediations: readonly RemediationRecord[]): Promise<number>;
}

export interface RoutingDeps {
  store: EventStore;
  dispatcher: CardDispatcher;
  cursor: RoutingCursor;
  metrics: Metrics;
  log: Logger;
  /** first wait after the work queue refused a batch (doubles up to 30 s) */
  retryBaseMs?: number;
  /** stages that add cards from what came before in the log (rebuilt at start through the cursor) */
  stages?: readonly RouteStage[];
}

/** records routed at once at most: a digest sees a whole burst, and a restart's backlog goes in big steps */
const MAX_BATCH = 1000;

class RoutingStopped extends Error {}

export class Routing {
  private backlog: EventRecord[] = [];
  private tasks: TaskIntake | undefined;
  private readonly observers: Array<(records: readonly EventRecord[]) => void> = [];
  /** outbox positions ahead of the cursor at start: batches end there */
  private boundaries: number[] = [];
  private pumping: Promise<void> | undefined;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private readonly sleepers = new Sleepers();

  constructor(private readonly d: RoutingDeps) {}

  /** stored events not routed yet (for /oig stats; also the oig_routing_backlog gauge) */
  get waiting(): number {
    return this.backlog.length;
  }

  useTasks(tasks: TaskIntake): void {
    this.tasks = tasks;
  }

  /** told about every routed batch first (the Workflows owner check); must not throw or wait */
  observe(observer: (records: readonly EventRecord[]) => void): void {
    this.observers.push(observer);
  }

  /** the intake listener: newly committed records, in log order */
  readonly push = (records: readonly EventRecord[]): void => {
    for (const r of records) this.backlog.push(r);
    this.d.metrics.routingBacklog.set(this.backlog.length);
    if (this.state === 'running') this.kick();
  };

  /** opens tasks that are missing, then routes what was stored but not routed; resolves with how many */
  async start(): Promise<number> {
    const from = this.d.cursor.position;
    if (this.tasks) {
      const opened = await this.tasks.reconcile(remediationsOf(this.d.store));
      if (opened > 0) this.d.log.warn({ opened }, 'opened manual-remediation tasks for stored remediations that had none');
    }
    for (const stage of this.d.stages ?? []) {
      try {
        stage.start(from);
      } catch (err) {
        this.d.log.error({ err, stage: stage.name }, 'a routing stage could not rebuild its state; its cards may be missing');
      }
    }
    const pending = this.d.store.recordsAfter(from);
    this.backlog = [...pending, ...this.backlog.filter((r) => (r.seq ?? 0) > (pending[pending.length - 1]?.seq ?? from))];
    this.boundaries = [...new Set(this.d.dispatcher.sinkPositions().filter((p) => p > from))].sort((a, b) => a - b);
    if (pending.length > 0) this.d.log.info({ events: pending.length, after: from }, 'routing events stored before the restart but not routed yet');
    this.state = 'running';
    this.kick();
    return pending.length;
  }

  /** resolves when everything pushed so far is routed (or routing stopped) */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /**
   * Finishes routing what is stored (within `budgetMs`), then stops. What is left when the budget runs
   * out (a disk that refuses writes) stays unrouted on disk and is routed at the next start.
   */
  async stop(budgetMs = 5000): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), budgetMs)));
    if ((await Promise.race([this.idle().then(() => 'done' as const), late])) === 'late') {
      this.d.log.error({ unrouted: this.backlog.length }, 'routing did not finish in time; the rest is routed at the next start');
      this.state = 'stopped';
      this.d.dispatcher.stop();
      this.sleepers.wakeAll();
      await this.idle();
    }
    clearTimeout(timer);
    this.state = 'stopped';
    await this.d.cursor.flush();
  }

  /** starts the pump unless it runs or there is nothing to route (cleared asynchronously, after assignment) */
  private kick(): void {
    if (this.pumping || this.backlog.length === 0) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  private async pump(): Promise<void> {
    try {
      while (this.backlog.length > 0 && this.state !== 'stopped') {
        const batch = this.takeBatch();
        try {
          await this.route(batch);
        } catch (err) {
          // stopped mid-batch: it stays unrouted, in front of the rest
          this.backlog = [...batch, ...this.backlog];
          if (!(err instanceof RoutingStopped || err instanceof DispatchStopped)) this.d.log.error({ err }, 'routing failed; the batch is routed again at the next start');
          return;
        }
      }
    } finally {
      this.d.metrics.routingBacklog.set(this.backlog.length);
    }
  }

  private takeBatch(): EventRecord[] {
    let n = Math.min(MAX_BATCH, this.backlog.length);
    while (this.boundaries.length > 0 && (this.backlog[0]!.seq ?? 0) > this.boundaries[0]!) this.boundaries.shift();
    const edge = this.boundaries[0];
    if (edge !== undefined) {
      const cut = this.backlog.findIndex((r) => (r.seq ?? 0) > edge);
      if (cut > 0 && cut < n) n = cut;
    }
    return this.backlog.splice(0, n);
  }

  private async route(batch: readonly EventRecord[]): Promise<void> {
    for (const observe of this.observers) {
      try {
        observe(batch);
      } catch (err) {
        this.d.log.warn({ err }, 'an observer of routed events failed');
      }
    }
    if (this.tasks) await this.retrying('the work queue', () => this.tasks!.onStored(batch));
    const routed: RoutedRecord[] = [];
    for (const record of batch) {
      try {
        routed.push({ record, cards: cardsFor(record, this.d.store) });
      } catch (err) {
        // a routing bug must not stop the other events' cards; the event itself is stored already
        this.d.log.error({ err, event: record.id, type: record.type }, 'could not build cards for an event');
        routed.push({ record, cards: [] });
      }
    }
    this.addStageCards(batch, routed);
    if (tracing(this.d.log)) for (const r of routed) eventLog(this.d.log, r.record).debug({ seq: r.record.seq, cards: r.cards.map((c) => c.kind) }, 'event routed');
    const through = batch.reduce((max, r) => Math.max(max, r.seq ?? 0), 0);
    await this.d.dispatcher.dispatch(routed, through > 0 ? through : undefined);
    if (through > 0) this.d.cursor.advance(through);
    this.d.metrics.routingBacklog.set(this.backlog.length);
  }

  /** each stage's cards go after the cards of the record they came with */
  private addStageCards(batch: readonly EventRecord[], routed: RoutedRecord[]): void {
    for (const stage of this.d.stages ?? []) {
      let extra: ReadonlyMap<EventRecord, readonly Card[]>;
      try {
        extra = stage.cardsFor(batch);
      } catch (err) {
        this.d.log.error({ err, stage: stage.name }, 'a routing stage failed on a batch; its cards for it are missing');
        continue;
      }
      if (extra.size === 0) continue;
      for (let i = 0; i < routed.length; i++) {
        const more = extra.get(routed[i]!.record);
        if (more && more.length > 0) routed[i] = { record: routed[i]!.record, cards: [...routed[i]!.cards, ...more] };
      }
    }
  }

  /** runs `step` until it succeeds; waits in between (a full disk); gives up only when stopping for good */
  private async retrying(what: string, step: () => Promise<void>): Promise<void> {
    const base = this.d.retryBaseMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        await step();
        return;
      } catch (err) {
        if (attempt === 1) this.d.log.error({ err }, `${what} could not take newly stored events; routing waits and tries again`);
        if (this.stoppedForGood()) throw new RoutingStopped();
        await this.sleepers.sleep(backoffMs(attempt, base, 30_000));
        if (this.stoppedForGood()) throw new RoutingStopped();
      }
    }
  }

  // the state changes while a step waits: read it through a method so the compiler does not narrow it
  private stoppedForGood(): boolean {
    return this.state === 'stopped';
  }
}

function remediationsOf(store: EventStore): RemediationRecord[] {
  return store.lookup('type', 'certification.campaign.item.remediate').filter((r): r is RemediationRecord => r.kind === 'remediation');
}
