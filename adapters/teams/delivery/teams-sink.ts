/**
 * The Teams CardSink: each card is queued durably in the Teams outbox once per conversation that gets it —
 * every conversation subscribed to its family (subscriptions.ts), plus any where its message or its thread
 * parent already is (an edit or a reply goes where its message is, even if that channel has narrowed its
 * families since). `deliver` resolves once the cards are on disk; the delivery loop counts them as posted
 * when Teams accepts them (`countsDeliveries`).
 */
import type { Logger } from 'pino';
import type { Card, RouteFamily } from '../../../src/cards/card.ts';
import type { CardSink } from '../../../src/delivery/card-sink.ts';
import type { DeliveryLoop } from '../../../src/delivery/delivery-loop.ts';
import type { MessageRefs } from '../../../src/delivery/message-refs.ts';
import type { Outbox } from '../../../src/delivery/outbox.ts';
import type { Metrics } from '../../../src/metrics.ts';
import type { Subscriptions } from '../subscriptions.ts';
import { refKey } from './send-teams-item.ts';

export class TeamsSink implements CardSink {
  readonly name = 'teams';
  readonly countsDeliveries = true;
  private readonly unrouted = new Set<RouteFamily>();

  constructor(
    private readonly outbox: Outbox,
    private readonly refs: MessageRefs,
    private readonly subscriptions: Subscriptions,
    private readonly loop: DeliveryLoop,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async deliver(cards: readonly Card[]): Promise<void> {
    try {
      await this.outbox.add(cards, (card) => this.conversationsFor(card));
    } catch (err) {
      this.metrics.cardsFailed.inc({ sink: this.name }, cards.length);
      this.log.error({ err, cards: cards.length }, 'could not queue cards for Teams');
      return;
    }
    this.loop.wake();
  }

  private conversationsFor(card: Card): string[] {
    // an edit-only card too: its message may still be waiting in the outbox there (they coalesce), and
    // where it was never posted the loop skips it without a call
    const out = new Set(this.subscriptions.forFamily(card.family));
    for (const sub of this.subscriptions.list()) {
      const id = sub.ref.conversation.id;
      for (const key of [card.key, card.threadKey]) if (key !== undefined && this.refs.get(refKey(id, key))) out.add(id);
    }
    if (out.size === 0 && !card.updateOnly && !this.unrouted.has(card.family)) {
      this.unrouted.add(card.family);
      this.log.warn(
        { family: card.family },
        `no Teams conversation is subscribed to ${card.family} cards: they are not posted in Teams (add the bot to a team, or write "@OIG oig subscribe" in a channel)`,
      );
    }
    if (out.size > 0) this.unrouted.delete(card.family);
    return [...out];
  }
}
