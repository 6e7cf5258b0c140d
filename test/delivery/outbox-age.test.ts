import { FileStateStore } from '../../src/store/file-state-store.ts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { ChatMetrics } from '../../src/delivery/chat-metrics.ts';
import { DeliveryLoop } from '../../src/delivery/delivery-loop.ts';
import { DeliveryProblems } from '../../src/delivery/delivery-problems.ts';
import type { SendOutcome } from '../../src/delivery/failure.ts';
import { Outbox } from '../../src/delivery/outbox.ts';
import { Metrics } from '../../src/metrics.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const card = (title: string): Card => ({ kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title, facts: [], eventIds: [], at: '2024-05-02T09:30:00.000Z' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the value of oig_outbox_oldest_age_seconds for one sink and channel, as a scrape of /metrics reads it */
async function ageOf(metrics: Metrics, sink: string, channel: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`oig_outbox_oldest_age_seconds{sink="${sink}",channel="${channel}"}`));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('a parked channel keeps its cards and shows how long they have waited', () => {
  it('in oig_outbox_oldest_age_seconds {sink, channel}, growing while the lane is parked, gone once delivered', async () => {
    const metrics = new Metrics();
    const log = pino({ level: 'silent' });
    const open = async (sink: 'slack' | 'teams', refuse: () => boolean) => {
      const outbox = await Outbox.open(new FileStateStore(await makeDataDir()), `${sink}-outbox`);
      const chatMetrics = new ChatMetrics(metrics.registry, sink);
      const problems = new DeliveryProblems(log, chatMetrics, { product: sink, fixFor: () => 'invite the bot' });
      const send = async (): Promise<SendOutcome> =>
        refuse() ? { status: 'failed', method: 'post', failure: { kind: 'channel', code: 'not_in_channel' } } : { status: 'delivered', method: 'post', channel: 'C1' };
      const loop = new DeliveryLoop({ outbox, send, problems, metrics, chatMetrics, sink, log }, { intervalMs: 5, parkMs: 300 });
      return { outbox, loop };
    };
    let refusing = true;
    const slack = await open('slack', () => refusing);
    // a second chat on the same registry shares the gauge under its own sink label
    const teams = await open('teams', () => false);
    await slack.outbox.add([card('a'), card('b')], () => 'C1');
    slack.loop.start();
    teams.loop.start();
    await sleep(120);
    // parked: both cards still queued, the age keeps growing between scrapes though the lane sleeps
    expect(slack.outbox.countFor('C1')).toBe(2);
    const first = (await ageOf(metrics, 'slack', 'C1'))!;
    expect(first).toBeGreaterThanOrEqual(0.1);
    await sleep(100);
    expect((await ageOf(metrics, 'slack', 'C1'))!).toBeGreaterThanOrEqual(first + 0.09);
    const lane = slack.loop.lanesStatus().find((l) => l.channel === 'C1')!;
    expect(lane).toMatchObject({ waiting: 2, oldestQueuedAt: slack.outbox.oldestQueuedAt('C1') });
    expect(lane.readyAt).toBeDefined();
    expect(await ageOf(metrics, 'teams', 'C1')).toBeUndefined();
    refusing = false;
    const deadline = Date.now() + 3000;
    while (slack.outbox.size > 0 && Date.now() < deadline) await sleep(20);
    expect(slack.outbox.size).toBe(0);
    expect(await ageOf(metrics, 'slack', 'C1')).toBeUndefined();
    await Promise.all([slack.loop.stop(), teams.loop.stop()]);
    await Promise.all([slack.outbox.close(), teams.outbox.close()]);
  });
});
