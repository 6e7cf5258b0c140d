/**
 * The Slack CardSink: decides each card's channel (SPEC §2 routing by family, or where its message / its
 * thread parent already is), queues it durably in the outbox and wakes the delivery loop. `deliver`
 * resolves once the cards are on disk, long before Slack sees them; the loop counts them as posted when
 * Slack accepts them (`countsDeliveries`).
 */
import type { Logger } from 'pino';
import type { Card, RouteFamily } from '../../../src/cards/card.ts';
import type { CardSink } from '../../../src/delivery/card-sink.ts';
import type { Metrics } from '../../../src/metrics.ts';
import type { DeliveryLoop } from '../../../src/delivery/delivery-loop.ts';
import type { MessageRefs } from '../../../src/delivery/message-refs.ts';
import type { Outbox, OutboxItem } from '../../../src/delivery/outbox.ts';

export class SlackSink implements CardSink {
  readonly name = 'slack';
  readonly countsDeliveries = true;
  private readonly unrouted = new Set<RouteFamily>();

  constructor(
    private readonly outbox: Outbox,
    private readonly refs: MessageRefs,
    private readonly channels: Readonly<Record<RouteFamily, string | undefined>>,
    private readonly loop: DeliveryLoop,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async deliver(cards: readonly Card[]): Promise<void> {
    try {
      await this.outbox.add(cards, (card, queued) => this.channelFor(card, queued));
    } catch (err) {
      // the outbox file could not be written (disk full?): these cards are lost for Slack, say so loudly
      this.metrics.cardsFailed.inc({ sink: this.name }, cards.length);
      this.log.error({ err, cards: cards.length }, 'could not queue cards for Slack');
      return;
    }
    this.loop.wake();
  }

  /**
   * An edit goes where its message is; a reply goes where its parent is (thread_ts only means something in
   * the parent's channel); anything else to its family's channel. No channel: not posted, said once.
   */
  private channelFor(card: Card, queued: (key: string) => OutboxItem | undefined): string | undefined {
    for (const key of [card.key, card.threadKey]) {
      if (key === undefined) continue;
      const there = this.refs.get(key)?.channel ?? queued(key)?.channel;
      if (there) return there;
    }
    const channel = this.channels[card.family];
    if (channel === undefined && !this.unrouted.has(card.family)) {
      this.unrouted.add(card.family);
      this.log.warn(
        { family: card.family },
        `no Slack channel for ${card.family} cards: they are not posted (set SLACK_CHANNEL or SLACK_CHANNEL_${card.family})`,
      );
    }
    return channel;
  }
}
