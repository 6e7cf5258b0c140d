import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { CardDispatcher } from '../../src/delivery/card-dispatcher.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import { DigestStage } from '../../src/delivery/digest.ts';
import { Metrics } from '../../src/metrics.ts';
import { contextOf, decision } from '../helpers/records.ts';

const log = pino({ level: 'silent' });

class Recorder implements CardSink {
  readonly cards: Card[][] = [];
  constructor(
    readonly name: string,
    readonly countsDeliveries = false,
    private readonly fail = false,
  ) {}
  deliver(cards: readonly Card[]): Promise<void> {
    this.cards.push([...cards]);
    return this.fail ? Promise.reject(new Error('down')) : Promise.resolve();
  }
}

async function counter(metrics: Metrics, name: string): Promise<string> {
  return metrics.registry.getSingleMetricAsString(name);
}

describe('CardDispatcher', () => {
  it('counts cards as posted for sinks that do not count their own deliveries', async () => {
    const metrics = new Metrics();
    const plain = new Recorder('terminal');
    const queueing = new Recorder('slack', true);
    const failing = new Recorder('teams', false, true);
    const records = [decision()];
    await new CardDispatcher(contextOf(records), [plain, queueing, failing], metrics, log).dispatch(records);
    expect(plain.cards).toHaveLength(1);
    expect(queueing.cards).toHaveLength(1);
    const posted = await counter(metrics, 'oig_cards_posted_total');
    expect(posted).toContain('sink="terminal"} 1');
    expect(posted).not.toContain('sink="slack"');
    expect(await counter(metrics, 'oig_cards_failed_total')).toContain('sink="teams"} 1');
  });

  it('hands every sink the cards in dispatch order, even when dispatches overlap', async () => {
    const order: string[] = [];
    // the first sink takes longer for A than for B: the second sink must still see A first
    const uneven: CardSink = {
      name: 'uneven',
      deliver: (cards) => new Promise((r) => setTimeout(r, cards[0]!.key === 'decision:A' ? 30 : 0)),
    };
    const second: CardSink = {
      name: 'second',
      deliver: (cards) => {
        order.push(cards[0]!.key ?? '');
      },
    };
    const a = decision({ item: 'A', id: 'dec-A' });
    const b = decision({ item: 'B', id: 'dec-B' });
    const d = new CardDispatcher(contextOf([a, b]), [uneven, second], new Metrics(), log);
    await Promise.all([d.dispatch([a]), d.dispatch([b])]);
    expect(order).toEqual(['decision:A', 'decision:B']);
  });

  it('passes a burst of one campaign through the digest stage', async () => {
    const records = Array.from({ length: 12 }, (_, i) => decision({ item: `I${i}`, id: `dec-${i}` }));
    const sink = new Recorder('memory');
    const stage = new DigestStage({ now: () => 0 });
    await new CardDispatcher(contextOf(records), [sink], new Metrics(), log, stage).dispatch(records);
    expect(sink.cards[0]!.map((c) => c.kind)).toEqual(['digest', 'digest']);
  });
});
