import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { EventRecord } from '../domain/records.ts';
import type { Metrics } from '../metrics.ts';
import type { RouteContext } from '../route/route-context.ts';
import { cardsFor } from '../route/route.ts';
import type { CardSink } from './card-sink.ts';

/**
 * Turns newly stored records into cards (SPEC §5 default routing) and hands them to every sink.
 * Runs after the records are durable, so the store already includes them when routing asks it.
 */
export class CardDispatcher {
  constructor(
    private readonly ctx: RouteContext,
    private readonly sinks: readonly CardSink[],
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async dispatch(records: readonly EventRecord[]): Promise<void> {
    const cards: Card[] = [];
    for (const r of records) {
      try {
        cards.push(...cardsFor(r, this.ctx));
      } catch (err) {
        // a routing bug must not stop the other events' cards; the event itself is stored already
        this.log.error({ err, event: r.id, type: r.type }, 'could not build cards for an event');
      }
    }
    if (cards.length === 0) return;
    for (const sink of this.sinks) {
      try {
        await sink.deliver(cards);
        this.metrics.cardsPosted.inc({ sink: sink.name }, cards.length);
      } catch (err) {
        this.metrics.cardsFailed.inc({ sink: sink.name }, cards.length);
        this.log.error({ err, sink: sink.name }, 'a card sink failed');
      }
    }
  }
}
