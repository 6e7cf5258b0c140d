import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { CardDispatcher, DispatchStopped } from '../../src/delivery/card-dispatcher.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import { DigestStage, type RoutedRecord } from '../../src/delivery/digest.ts';
import type { EventRecord } from '../../src/domain/records.ts';
import { Metrics } from '../../src/metrics.ts';
import type { RouteContext } from '../../src/route/route-context.ts';
import { cardsFor } from '../../src/route/route.ts';
import { asa, contextOf, decision, skipped } from '../helpers/records.ts';

const log = pino({ level: 'silent' });

/** a sink that records what it is given; `durable` ones keep a routed position like an outbox */
class Recorder implements CardSink {
  readonly cards: Card[][] = [];
  position = 0;
  refusals: number;
  constructor(
    readonly name: string,
    readonly countsDeliveries = false,
    refuse = 0,
    private readonly durable = true,
  ) {
    this.refusals = refuse;
  }
  deliver(cards: readonly Card[], routedThrough?: number): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      return Promise.reject(new Error('disk full'));
    }
    this.cards.push([...cards]);
    if (routedThrough !== undefined) this.position = Math.max(this.position, routedThrough);
    return Promise.resolve();
  }
  routedThrough(): number | undefined {
    return this.durable ? this.position : undefined;
  }
}

const routedOf = (records: EventRecord[], ctx: RouteContext = contextOf(records)): RoutedRecord[] => records.map((record) => ({ record, cards: cardsFor(record, ctx) }));

async function counter(metrics: Metrics, name: string): Promise<string> {
  return metrics.registry.getSingleMetricAsString(name);
}

describe('CardDispatcher', () => {
  it('counts cards as posted for sinks that do not count their own deliveries, and failed for a sink that keeps nothing', async () => {
    const metrics = new Metrics();
    const plain = new Recorder('terminal', false, 0, false);
    const queueing = new Recorder('slack', true);
    const failing = new Recorder('teams', false, 1, false);
    const records = [decision({ seq: 1 })];
    await new CardDispatcher(contextOf(records), [plain, queueing, failing], metrics, log).dispatch(routedOf(records), 1);
    expect(plain.cards).toHaveLength(1);
    expect(queueing.cards).toHaveLength(1);
    expect(queueing.position).toBe(1);
    const posted = await counter(metrics, 'oig_cards_posted_total');
    expect(posted).toContain('sink="terminal"} 1');
    expect(posted).not.toContain('sink="slack"');
    expect(await counter(metrics, 'oig_cards_failed_total')).toContain('sink="teams"} 1');
  });

  it('retries a durable sink that refuses a batch until it takes it, nothing dropped', async () => {
    const sink = new Recorder('slack', true, 3);
    const records = [decision({ seq: 7 })];
    await new CardDispatcher(contextOf(records), [sink], new Metrics(), log, { retryBaseMs: 1 }).dispatch(routedOf(records), 7);
    expect(sink.cards).toHaveLength(1);
    expect(sink.position).toBe(7);
  });

  it('gives up a refused batch only when stopped, with DispatchStopped (routing keeps it for the next start)', async () => {
    const sink = new Recorder('slack', true, Number.POSITIVE_INFINITY);
    const records = [decision({ seq: 3 })];
    const d = new CardDispatcher(contextOf(records), [sink], new Metrics(), log, { retryBaseMs: 5 });
    const running = d.dispatch(routedOf(records), 3);
    setTimeout(() => d.stop(), 30);
    await expect(running).rejects.toBeInstanceOf(DispatchStopped);
    expect(sink.position).toBe(0);
  });

  it('skips a sink that already has the batch (a restart routes it again for the others)', async () => {
    const ahead = new Recorder('slack', true);
    ahead.position = 5;
    const behind = new Recorder('teams', true);
    const records = [decision({ seq: 5 })];
    await new CardDispatcher(contextOf(records), [ahead, behind], new Metrics(), log).dispatch(routedOf(records), 5);
    expect(ahead.cards).toHaveLength(0);
    expect(behind.cards).toHaveLength(1);
  });

  it('passes a burst of one campaign through the digest stage', async () => {
    const records = Array.from({ length: 12 }, (_, i) => decision({ item: `I${i}`, id: `dec-${i}`, seq: i + 1 }));
    const sink = new Recorder('memory');
    const digest = new DigestStage({ now: () => 0 });
    await new CardDispatcher(contextOf(records), [sink], new Metrics(), log, { digest }).dispatch(routedOf(records), 12);
    expect(sink.cards[0]!.map((c) => c.kind)).toEqual(['digest', 'digest']);
  });

  it('keeps each manual-remediation task card with its buttons during a digest', async () => {
    const records = [
      ...Array.from({ length: 12 }, (_, i) => decision({ item: `I${i}`, id: `dec-${i}` })),
      ...Array.from({ length: 3 }, (_, i) => skipped({ item: `I${i}`, id: `rem-${i}` })),
    ];
    const sink = new Recorder('memory');
    await new CardDispatcher(contextOf(records), [sink], new Metrics(), log, { digest: new DigestStage({ now: () => 0 }) }).dispatch(routedOf(records));
    const manual = sink.cards.flat().filter((c) => c.kind === 'manual_remediation');
    expect(manual).toHaveLength(3);
    for (const card of manual) expect(card.actions?.map((a) => a.id)).toContain('oig_manual_claim');
  });

  it('shows a manual-remediation card as its task stands (claimed), not always as open', async () => {
    const records = [skipped({ item: 'A' })];
    const sink = new Recorder('memory');
    const d = new CardDispatcher(contextOf(records), [sink], new Metrics(), log);
    const claimed: Card = { ...routedOf(records)[0]!.cards[0]!, title: 'claimed by Ada' };
    d.useTasks({ card: (id) => (id === 'item:A' ? claimed : undefined) });
    await d.dispatch(routedOf(records));
    expect(sink.cards[0]!.map((c) => c.title)).toEqual(['claimed by Ada']);
  });

  it('summarises events that were old on arrival in one card instead of posting each', async () => {
    const records = Array.from({ length: 50 }, (_, i) => asa({ id: `asa:${i}`, notable: true, late: true, at: `2026-09-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z` }));
    const sink = new Recorder('memory');
    await new CardDispatcher(contextOf(records), [sink], new Metrics(), log).dispatch(routedOf(records));
    const cards = sink.cards.flat();
    expect(cards.map((c) => c.kind)).toEqual(['catch_up']);
    expect(cards[0]!.title).toMatch(/^Caught up 50 ASA events from /);
    expect(cards[0]!.family).toBe('ASA');
    expect(cards[0]!.facts.find((f) => f.label === 'Notable')?.value).toMatch(/^50 /);
  });
});
