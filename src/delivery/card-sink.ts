import type { Card } from '../cards/card.ts';

/**
 * Where cards go: the terminal in local mode, Slack, Teams. Adapters implement this; the core never knows
 * which one it talks to.
 *
 * Durable routing (issue 11): every stored event has a position in the event log (`EventRecord.seq`), and
 * routing hands the cards of a batch of events to every sink together with the position of the batch's
 * last event. A durable sink writes that position in the same write as the cards (`routedThrough`), so after
 * a crash the router knows exactly which batches each sink has and routes the rest again, without queueing
 * any card twice.
 */
export interface CardSink {
  readonly name: string;
  /**
   * Queues the cards (quickly: no chat call) and resolves once they are durable. Rejects when they could not
   * be queued (disk full): routing keeps the batch and tries again, nothing is dropped. `routedThrough`, when
   * given, is recorded in the same durable write.
   */
  deliver(cards: readonly Card[], routedThrough?: number): Promise<void>;
  /**
   * The log position through which this sink has durably queued routed cards (0: none yet); undefined for a
   * sink that keeps nothing (the terminal), whose cards after a crash are printed again.
   */
  routedThrough(): number | undefined;
  /**
   * True when the sink counts `oig_cards_posted_total` / `oig_cards_failed_total` itself, once the chat API
   * accepted (or finally refused) a card. A queueing sink (Slack, Teams) sets it: handing a card to its
   * outbox is not posting it. Otherwise the dispatcher counts a card as posted when `deliver` resolves.
   */
  readonly countsDeliveries?: boolean;
}
