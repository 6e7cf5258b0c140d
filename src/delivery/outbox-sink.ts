/**
 * The CardSink of a chat (Slack, Teams): the transport places each card (one channel, or every conversation
 * that gets it), the outbox queues it durably, together with the routed log position (card-sink.ts), and
 * the paced loop is woken. `deliver` resolves once the cards are on disk, long before the chat sees them,
 * and rejects when they could not be written (disk full): routing keeps the batch and tries again. The
 * loop counts a card as posted when the chat accepts it (`countsDeliveries`).
 */
import type { Logger } from 'pino';
import type { Card, RouteFamily } from '../cards/card.ts';
import { cardLog, tracing } from '../event-log.ts';
import type { CardSink } from './card-sink.ts';
import type { ChatTransport } from './chat-transport.ts';
import type { MessageRefs } from './message-refs.ts';
import type { Outbox, OutboxItem } from './outbox.ts';

export class OutboxSink<Message> implements CardSink {
  readonly name: string;
  readonly countsDeliveries = true;
  /** families whose cards had nowhere to go, said once until they go somewhere again */
  private readonly unplaced = new Set<RouteFamily>();

  constructor(
    private readonly outbox: Outbox,
    private readonly refs: MessageRefs,
    private readonly transport: ChatTransport<Message>,
    private readonly loop: { wake(): void },
    private readonly log: Logger,
  ) {
    this.name = transport.chat;
  }

  async deliver(cards: readonly Card[], routedThrough?: number): Promise<void> {
    // with debug on, each card's channels are noted as they are placed and logged once they are on disk
    const placed: Array<[Card, readonly string[]]> | undefined = tracing(this.log) ? [] : undefined;
    await this.outbox.add(cards, (card, queued) => {
      const channels = this.place(card, queued);
      placed?.push([card, channels]);
      return channels;
    }, routedThrough);
    for (const [card, channels] of placed ?? []) cardLog(this.log, card).debug({ channels }, `card queued for ${this.name}`);
    this.loop.wake();
  }

  routedThrough(): number | undefined {
    return this.outbox.routedThrough;
  }

  private place(card: Card, queued: (key: string) => OutboxItem | undefined): readonly string[] {
    const channels = this.transport.place(card, { posted: (key) => this.refs.get(key), queued });
    if (channels.length > 0) {
      this.unplaced.delete(card.family);
    } else if (!card.updateOnly && !this.unplaced.has(card.family)) {
      // an edit-only card with nowhere to go is normal (its message was never posted); a new card is not
      this.unplaced.add(card.family);
      this.log.warn({ family: card.family }, this.transport.unplaced(card.family));
    }
    return channels;
  }
}
