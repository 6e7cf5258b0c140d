import type { Card } from '../cards/card.ts';
import type { CardSink } from './card-sink.ts';

/**
 * A sink that keeps every card it is handed, in order, and nothing on disk (after a restart its cards are
 * handed over again): what the card gallery draws (src/tools/gallery) and what tests look at.
 */
export class MemorySink implements CardSink {
  readonly cards: Card[] = [];

  constructor(readonly name = 'memory') {}

  deliver(cards: readonly Card[]): Promise<void> {
    this.cards.push(...cards);
    return Promise.resolve();
  }

  routedThrough(): undefined {
    return undefined;
  }
}
