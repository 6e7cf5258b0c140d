import { FileStateStore } from '../../src/store/file-state-store.ts';
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { ChatMetrics } from '../../src/delivery/chat-metrics.ts';
import { DeliveryLoop } from '../../src/delivery/delivery-loop.ts';
import { DeliveryProblems } from '../../src/delivery/delivery-problems.ts';
import type { SendOutcome } from '../../src/delivery/failure.ts';
import type { OutboxItem } from '../../src/delivery/outbox.ts';
import { Outbox } from '../../src/delivery/outbox.ts';
import { Metrics } from '../../src/metrics.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const card = (title: string): Card => ({ kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title, facts: [], eventIds: [], at: '2024-05-02T09:30:00.000Z' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('the delivery loop after an outage', () => {
  it('sends every lane again as soon as one lane gets through, instead of each waiting out its own backoff', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const outbox = await Outbox.open(new FileStateStore(dir), 'slack-outbox');
    const metrics = new Metrics();
    const log = pino({ level: 'silent' });
    const chatMetrics = new ChatMetrics(metrics.registry, 'slack');
    const problems = new DeliveryProblems(log, chatMetrics, { product: 'Slack', fixFor: () => '' });
    let down = true;
    const sent: Array<{ channel: string; at: number }> = [];
    const send = async (item: OutboxItem): Promise<SendOutcome> => {
      if (down) return { status: 'failed', method: 'chat.postMessage', failure: { kind: 'transient', code: 'http_503' } };
      sent.push({ channel: item.channel, at: Date.now() });
      return { status: 'delivered', method: 'chat.postMessage', channel: item.channel };
    };
    // the second lane's backoff grows far past the test; the first lane's stays short
    const loop = new DeliveryLoop({ outbox, send, problems, metrics, chatMetrics, sink: 'slack', log }, { intervalMs: 5, backoffBaseMs: 100, backoffMaxMs: 60_000 });
    await outbox.add([card('b1')], () => 'C2');
    loop.start();
    await sleep(800); // C2 failed four times (at 0, 100, 300, 700 ms): its next try is at 1500 ms
    await outbox.add([card('a1')], () => 'C1');
    loop.wake();
    await sleep(20);
    down = false;
    const recoveredAt = Date.now();
    // C1's first backoff (100 ms) runs out, it gets through, and C2 goes at once, not ~700 ms later
    const deadline = Date.now() + 2000;
    while (outbox.size > 0 && Date.now() < deadline) await sleep(10);
    expect(sent.map((s) => s.channel).sort()).toEqual(['C1', 'C2']);
    expect(sent.find((s) => s.channel === 'C2')!.at - recoveredAt).toBeLessThan(350);
    await loop.stop();
    await outbox.close();
  });
});
