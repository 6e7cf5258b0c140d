import type { Card } from '../cards/card.ts';

/**
 * Where cards go: the terminal in local mode, Slack, Teams. Adapters implement this; the core never knows
 * which one it talks to. `deliver` should hand the cards over quickly (queue them) and not throw.
 */
export interface CardSink {
  readonly name: string;
  deliver(cards: readonly Card[]): void | Promise<void>;
}
