/**
 * The chat sinks of a replica (issue 13 §2). Only the leader queues cards in an outbox; on a follower the
 * only cards that reach a sink are the ones publish() hands over (a button press answered there: the task's
 * new card), since routing runs only on the leader. Those are forwarded through PostgreSQL
 * (forwarded-cards.ts) and the leader's drain hands them to its own sink of the same name.
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { CardSink } from '../delivery/card-sink.ts';
import type { ForwardedCards } from './forwarded-cards.ts';
import type { Leadership } from './leadership.ts';

/** a routed batch reached a replica that no longer leads (it lost the lead while routing) */
export class NotLeading extends Error {
  constructor(sink: string) {
    super(`this replica no longer leads: the routed batch for ${sink} is left to the leader, which routes it again from the event log`);
  }
}

export class ReplicaSink implements CardSink {
  readonly name: string;
  readonly countsDeliveries?: boolean;

  constructor(
    private readonly inner: CardSink,
    private readonly leadership: Pick<Leadership, 'leading'>,
    private readonly forwarded: Pick<ForwardedCards, 'add'>,
  ) {
    this.name = inner.name;
    this.countsDeliveries = inner.countsDeliveries;
  }

  async deliver(cards: readonly Card[], routedThrough?: number): Promise<void> {
    if (this.leadership.leading) return this.inner.deliver(cards, routedThrough);
    // A routed batch is not forwarded: its position would not be recorded with it, so the new leader
    // routes it again anyway. Refusing keeps it unrouted (the dispatcher retries until it is stopped).
    if (routedThrough !== undefined) throw new NotLeading(this.name);
    await this.forwarded.add(this.inner.name, cards);
  }

  routedThrough(): number | undefined {
    return this.inner.routedThrough();
  }
}

/**
 * The leader's side: drains forwarded batches into its own (inner, not ReplicaSink) sinks, matched by
 * name. A batch for a sink this replica does not have is dropped with a line saying so: it cannot ever be
 * delivered (Teams removed from the configuration), and keeping it would hold up every batch after it.
 */
export function deliverForwardedCards(forwarded: Pick<ForwardedCards, 'drain'>, sinks: Iterable<CardSink>, log: Logger): void {
  const byName = new Map([...sinks].map((s) => [s.name, s]));
  forwarded.drain(async (name, cards) => {
    const sink = byName.get(name);
    if (!sink) {
      log.warn(
        { sink: name, cards: cards.length, sinks: [...byName.keys()] },
        `forwarded cards for "${name}" are dropped: this replica has no such chat configured (was it removed from the configuration?)`,
      );
      return;
    }
    await sink.deliver(cards);
  });
}
