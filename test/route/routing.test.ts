import { FileStateStore } from '../../src/store/file-state-store.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { CardDispatcher } from '../../src/delivery/card-dispatcher.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import type { EventRecord, RemediationRecord } from '../../src/domain/records.ts';
import { Metrics } from '../../src/metrics.ts';
import { Routing, type TaskIntake } from '../../src/route/routing.ts';
import { RoutingCursor } from '../../src/route/routing-cursor.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { decision, skipped } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const log = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** an outbox in memory: keeps the cards and the routed position it was given */
class PositionSink implements CardSink {
  readonly name = 'memory';
  readonly countsDeliveries = true;
  readonly cards: Card[] = [];
  refuse = 0;
  constructor(public position = 0) {}
  deliver(cards: readonly Card[], through?: number): Promise<void> {
    if (this.refuse > 0) {
      this.refuse -= 1;
      return Promise.reject(new Error('ENOSPC'));
    }
    this.cards.push(...cards);
    if (through !== undefined) this.position = Math.max(this.position, through);
    return Promise.resolve();
  }
  routedThrough(): number {
    return this.position;
  }
}

/** the work queue's side as routing sees it: records the remediations, can refuse a few times */
class Tasks implements TaskIntake {
  readonly seen: string[] = [];
  refuse = 0;
  onStored(records: readonly EventRecord[]): Promise<void> {
    if (this.refuse > 0) {
      this.refuse -= 1;
      return Promise.reject(new Error('ENOSPC'));
    }
    for (const r of records) if (r.kind === 'remediation') this.seen.push(r.id);
    return Promise.resolve();
  }
  reconcile(remediations: readonly RemediationRecord[]): Promise<number> {
    return Promise.resolve(remediations.length);
  }
}

async function harness(dataDir?: string, sinks: CardSink[] = [new PositionSink()]) {
  const dir = dataDir ?? (await makeDataDir());
  if (!dataDir) dirs.push(dir);
  const store = new LowdbEventStore({ dataDir: dir, retentionDays: 36500 });
  await store.open();
  const metrics = new Metrics();
  const dispatcher = new CardDispatcher(store, sinks, metrics, log, { retryBaseMs: 1 });
  const cursor = await RoutingCursor.open(new FileStateStore(dir));
  const routing = new Routing({ store, dispatcher, cursor, metrics, log, retryBaseMs: 1 });
  return { dir, store, routing, cursor, sinks };
}

const revokes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => decision({ id: `d${from + i}`, item: `I${from + i}`, campaign: { id: `c${from + i}` } }));
const titles = (sink: CardSink) => (sink as PositionSink).cards.map((c) => c.eventIds[0]);

describe('Routing', () => {
  it('routes at start what was stored after the cursor, and only that', async () => {
    const h = await harness();
    await h.store.append(revokes(3));
    // the bot stopped before routing them: nothing was routed
    await h.store.close();

    const sink = new PositionSink();
    const again = await harness(h.dir, [sink]);
    const push = again.routing.push;
    expect(await again.routing.start()).toBe(3);
    await again.routing.idle();
    expect(titles(sink)).toEqual(['d0', 'd1', 'd2']);
    expect(sink.position).toBe(3);
    // new records flow through the same pump
    push((await again.store.append(revokes(1, 3))).stored);
    await again.routing.idle();
    expect(titles(sink)).toEqual(['d0', 'd1', 'd2', 'd3']);
    await again.routing.stop();
    await again.store.close();

    const third = await harness(h.dir, [new PositionSink(4)]);
    expect(await third.routing.start()).toBe(0);
    await third.store.close();
  });

  it('routes nothing again in a data folder from before log positions (those events were routed when they came)', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    // the old log format: one JSON array per commit, no position
    await mkdir(path.join(dir, 'wal'), { recursive: true });
    await writeFile(path.join(dir, 'wal', '00000001.jsonl'), `${JSON.stringify(revokes(2))}\n`);
    const sink = new PositionSink();
    const h = await harness(dir, [sink]);
    expect(h.store.stats().events).toBe(2);
    expect(await h.routing.start()).toBe(0);
    // new events continue after them
    h.routing.push((await h.store.append(revokes(1, 2))).stored);
    await h.routing.idle();
    expect(titles(sink)).toEqual(['d2']);
    await h.routing.stop();
    await h.store.close();
  });

  it('gives each outbox only the batches it lacks, cut at its position (a crash between two outboxes)', async () => {
    const h = await harness();
    await h.store.append(revokes(6));
    await h.store.close();
    const ahead = new PositionSink(4);
    const behind = new PositionSink(1);
    const again = await harness(h.dir, [ahead, behind]);
    await again.routing.start();
    await again.routing.idle();
    expect(titles(behind)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    expect(titles(ahead)).toEqual(['d4', 'd5']);
    await again.routing.stop();
    await again.store.close();
  });

  it('waits for a work queue and an outbox that refuse (a full disk) and moves on only once they took the batch', async () => {
    const sink = new PositionSink();
    sink.refuse = 3;
    const h = await harness(undefined, [sink]);
    const tasks = new Tasks();
    tasks.refuse = 2;
    h.routing.useTasks(tasks);
    await h.routing.start();
    const stored = (await h.store.append([skipped({ id: 'r1', item: 'S1' })])).stored;
    h.routing.push(stored);
    await h.routing.idle();
    expect(tasks.seen).toEqual(['r1']);
    expect(sink.cards.map((c) => c.kind)).toEqual(['manual_remediation']);
    await h.routing.stop();
    expect(h.cursor.position).toBe(1);
    await h.store.close();
  });

  it('stops within its budget when an outbox keeps refusing, leaving the batch unrouted for the next start', async () => {
    const stuck = new PositionSink();
    stuck.refuse = Number.POSITIVE_INFINITY;
    const h = await harness(undefined, [stuck]);
    await h.routing.start();
    h.routing.push((await h.store.append(revokes(2))).stored);
    const started = Date.now();
    await h.routing.stop(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.cursor.position).toBe(0);
    await h.store.close();

    const sink = new PositionSink();
    const again = await harness(h.dir, [sink]);
    expect(await again.routing.start()).toBe(2);
    await again.routing.idle();
    expect(titles(sink)).toEqual(['d0', 'd1']);
    await again.routing.stop();
    await again.store.close();
  });
});
