import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { EventRecord } from '../domain/records.ts';
import type { Metrics } from '../metrics.ts';
import type { RouteContext } from '../route/route-context.ts';
import { cardsFor } from '../route/route.ts';
import type { CardSink } from './card-sink.ts';
import { DigestStage, type RoutedRecord } from './digest.ts';

/**
 * Turns newly stored records into cards (SPEC §5 default routing), lets the digest stage fold bursts of one
 * campaign into a digest, and hands the result to every sink. Runs after the records are durable, so the
 * store already includes them when routing asks it.
 */
export class CardDispatcher {
  constructor(
    private readonly ctx: RouteContext,
    private readonly sinks: readonly CardSink[],
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly digest: DigestStage = new DigestStage(),
  ) {
    // a digest version built after the batches that changed it (throttled) goes out the same way
    digest.onLateCards((cards) => void this.handToSinks(cards));
  }

  async dispatch(records: readonly EventRecord[]): Promise<void> {
    const routed: RoutedRecord[] = [];
    for (const r of records) {
      try {
        routed.push({ record: r, cards: cardsFor(r, this.ctx) });
      } catch (err) {
        // a routing bug must not stop the other events' cards; the event itself is stored already
        this.log.error({ err, event: r.id, type: r.type }, 'could not build cards for an event');
      }
    }
    let cards: Card[];
    try {
      cards = this.digest.process(routed, this.ctx);
    } catch (err) {
      // a digest bug must not swallow cards: fall back to posting them one by one
      this.log.error({ err }, 'the digest stage failed; cards go out individually');
      cards = routed.flatMap((r) => r.cards);
    }
    await this.handToSinks(cards);
  }

  private async handToSinks(cards: readonly Card[]): Promise<void> {
    if (cards.length === 0) return;
    // Every sink's deliver() is called synchronously here, in dispatch order, so concurrent dispatches
    // queue their cards (and successive versions of a digest) in the order they were built.
    await Promise.all(this.sinks.map((sink) => this.handOver(sink, cards)));
  }

  private async handOver(sink: CardSink, cards: readonly Card[]): Promise<void> {
    try {
      await sink.deliver(cards);
      if (!sink.countsDeliveries) this.metrics.cardsPosted.inc({ sink: sink.name }, cards.length);
    } catch (err) {
      if (!sink.countsDeliveries) this.metrics.cardsFailed.inc({ sink: sink.name }, cards.length);
      this.log.error({ err, sink: sink.name }, 'a card sink failed');
    }
  }
}
