import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import { manualTaskId } from '../cards/keys.ts';
import type { Metrics } from '../metrics.ts';
import { backoffMs, Sleepers } from '../sleepers.ts';
import type { RouteContext } from '../route/route-context.ts';
import type { CardSink } from './card-sink.ts';
import { CatchUpStage } from './catch-up.ts';
import { DigestStage, type RoutedRecord } from './digest.ts';

/** the work queue as the dispatcher sees it: a task's card as it stands now */
export interface TaskCards {
  card(taskId: string): Card | undefined;
}

/** routing was stopped while a sink still refused a batch: the batch stays unrouted (resumed at next start) */
export class DispatchStopped extends Error {
  constructor() {
    super('stopped before every sink had queued the batch');
  }
}

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface DispatcherOptions {
  digest?: DigestStage;
  catchUp?: CatchUpStage;
  /** first wait after a sink refused a batch (doubles up to 30 s); tests shorten it */
  retryBaseMs?: number;
}

/**
 * Takes routed records (src/route/routing.ts: the cards routing made of each newly stored event), lets the
 * catch-up stage summarise history and the digest stage fold bursts of one campaign, and hands the result
 * to every sink together with the log position of the batch's last event.
 *
 * A durable sink (an outbox) keeps that position with the cards; a sink that refuses a batch (its disk is
 * full) is retried with backoff until it takes it, so routing never moves past cards a chat has not got.
 * After a restart, a sink that already has a batch (its position is at or past it) is skipped.
 */
export class CardDispatcher {
  private readonly digest: DigestStage;
  private readonly catchUp: CatchUpStage;
  private readonly retryBaseMs: number;
  private tasks: TaskCards | undefined;
  private stopped = false;
  private readonly sleepers = new Sleepers();

  constructor(
    private readonly ctx: RouteContext,
    private readonly sinks: readonly CardSink[],
    private readonly metrics: Metrics,
    private readonly log: Logger,
    o: DispatcherOptions = {},
  ) {
    this.digest = o.digest ?? new DigestStage();
    this.catchUp = o.catchUp ?? new CatchUpStage();
    this.retryBaseMs = o.retryBaseMs ?? RETRY_BASE_MS;
    // a digest version built after the batches that changed it (throttled) goes out the same way
    this.digest.onLateCards((cards) => this.publish(cards));
  }

  /** manual-remediation cards show where their task stands (claimed, done), not always "open" */
  useTasks(tasks: TaskCards): void {
    this.tasks = tasks;
  }

  /** the position each durable sink has queued through (routing cuts its batches at them after a restart) */
  sinkPositions(): number[] {
    return this.sinks.flatMap((s) => {
      const at = s.routedThrough();
      return at === undefined ? [] : [at];
    });
  }

  async dispatch(routed: readonly RoutedRecord[], through?: number): Promise<void> {
    await this.handToSinks(this.cardsOf(routed), through);
  }

  /**
   * Cards that do not come from routing (the work queue's card after a button press, reminders): handed to
   * every sink once; a sink that refuses them logs it (the task itself is stored either way).
   */
  publish(cards: readonly Card[]): void {
    void this.handToSinks(cards).catch(() => undefined);
  }

  /** stops retrying refused batches: a dispatch still retrying rejects with DispatchStopped */
  stop(): void {
    this.stopped = true;
    this.sleepers.wakeAll();
  }

  private cardsOf(batch: readonly RoutedRecord[]): Card[] {
    let routed: readonly RoutedRecord[] = batch;
    let summaries: Card[] = [];
    try {
      ({ routed, summaries } = this.catchUp.process(batch));
    } catch (err) {
      this.log.error({ err }, 'the catch-up stage failed; cards go out individually');
    }
    routed = routed.map((r) => ({ record: r.record, cards: r.cards.map((c) => this.withTaskState(r.record, c)) }));
    let cards: Card[];
    try {
      cards = this.digest.process(routed, this.ctx);
    } catch (err) {
      // a digest bug must not swallow cards: fall back to posting them one by one
      this.log.error({ err }, 'the digest stage failed; cards go out individually');
      cards = routed.flatMap((r) => r.cards);
    }
    return [...cards, ...summaries];
  }

  private withTaskState(record: RoutedRecord['record'], card: Card): Card {
    if (card.kind !== 'manual_remediation' || record.kind !== 'remediation' || !this.tasks) return card;
    return this.tasks.card(manualTaskId(record)) ?? card;
  }

  private async handToSinks(cards: readonly Card[], through?: number): Promise<void> {
    // Every sink's deliver() is called synchronously here, in dispatch order, so successive versions of a
    // card (a digest growing) are queued in the order they were built.
    await Promise.all(this.sinks.map((sink) => this.handOver(sink, cards, through)));
  }

  private async handOver(sink: CardSink, cards: readonly Card[], through?: number): Promise<void> {
    const durable = sink.routedThrough();
    if (through !== undefined && durable !== undefined && durable >= through) return;
    if (cards.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.deliver(cards, through);
        if (!sink.countsDeliveries) this.metrics.cardsPosted.inc({ sink: sink.name }, cards.length);
        if (attempt > 1) this.log.info({ sink: sink.name, attempts: attempt }, 'the sink took the cards it refused before');
        return;
      } catch (err) {
        // a sink that keeps nothing (the terminal) has nothing to retry into
        if (durable === undefined || through === undefined) {
          if (!sink.countsDeliveries) this.metrics.cardsFailed.inc({ sink: sink.name }, cards.length);
          this.log.error({ err, sink: sink.name }, 'a card sink failed');
          return;
        }
        if (attempt === 1) this.log.error({ err, sink: sink.name, cards: cards.length }, 'could not queue cards; routing waits and tries again (nothing is dropped)');
        if (this.stopped) throw new DispatchStopped();
        await this.sleepers.sleep(backoffMs(attempt, this.retryBaseMs, RETRY_MAX_MS));
        if (this.stopped) throw new DispatchStopped();
      }
    }
  }
}
