import type { Card } from '../cards/card.ts';

/**
 * Where cards go: the terminal in local mode, Slack, Teams. Adapters implement this; the core never knows
 * which one it talks to. `deliver` should hand the cards over quickly (queue them) and not throw.
 */
export interface CardSink {
  readonly name: string;
  deliver(cards: readonly Card[]): void | Promise<void>;
  /**
   * True when the sink counts `oig_cards_posted_total` / `oig_cards_failed_total` itself, once the chat API
   * accepted (or finally refused) a card. A queueing sink (Slack) sets it: handing a card to its outbox is
   * not posting it. Otherwise the dispatcher counts a card as posted when `deliver` resolves.
   */
  readonly countsDeliveries?: boolean;
}
