/** Local mode's card destination: prints each card as text (SPEC §1). */
import type { Card } from '../../src/cards/card.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import { renderCardText } from './render-text.ts';

export class TerminalSink implements CardSink {
  readonly name = 'terminal';
  private readonly out: NodeJS.WritableStream;

  /** @param out where to write; injectable so tests can capture what would be printed */
  constructor(out: NodeJS.WritableStream = process.stdout) {
    this.out = out;
  }

  /** printed at once; nothing is kept, so after a crash the router prints them again */
  deliver(cards: readonly Card[]): Promise<void> {
    for (const card of cards) this.out.write(`${renderCardText(card)}\n\n`);
    return Promise.resolve();
  }

  routedThrough(): undefined {
    return undefined;
  }
}
