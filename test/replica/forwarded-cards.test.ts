/**
 * Forwarded cards against the test PostgreSQL server (migrations/004-forwarded-cards.sql): batches reach
 * the leader's drain once, in order, also after a hand-over failed; two drainers by mistake never hand a
 * batch over twice; an idle drain wakes on NOTIFY, and polls when notifications are gone; ReplicaSink
 * forwards on a follower and delivers on the leader.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import type { CardSink } from '../../src/delivery/card-sink.ts';
import { ForwardedCards, type DeliverForwarded } from '../../src/replica/forwarded-cards.ts';
import { deliverForwardedCards, NotLeading, ReplicaSink } from '../../src/replica/replica-sink.ts';
import { openDatabase, type Database } from '../../src/store/postgres/database.ts';
import { migrate } from '../../src/store/postgres/migrate.ts';
import { asAdmin, describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { logLines, until } from './log-lines.ts';

const card = (n: number, over: Partial<Card> = {}): Card => ({
  kind: 'manual_remediation',
  family: 'MANUAL',
  severity: 'warning',
  title: `Manual remediation needed: task ${n}`,
  facts: [{ label: 'Task', value: `t${n}` }],
  actions: [{ id: 'oig_manual_claim', label: 'Claim', value: `t${n}` }],
  key: `manual:t${n}`,
  eventIds: [`e${n}`],
  at: '2024-05-02T10:00:00.000Z',
  ...over,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a chat sink as the leader has one: records what it was handed */
function recordingSink(name: string): CardSink & { got: { cards: readonly Card[]; through?: number }[] } {
  const got: { cards: readonly Card[]; through?: number }[] = [];
  return {
    name,
    countsDeliveries: true,
    got,
    deliver: async (cards, through) => void got.push({ cards, through }),
    routedThrough: () => 7,
  };
}

describePg('ForwardedCards', () => {
  let fresh: FreshDatabase;
  let db: Database;
  let others: Database[];
  let drains: ForwardedCards[];

  beforeEach(async () => {
    fresh = await freshDatabase();
    db = await openDatabase(fresh.url, { max: 4 });
    await migrate(db);
    others = [];
    drains = [];
  });
  afterEach(async () => {
    await Promise.all(drains.map((d) => d.stop()));
    await Promise.all([db, ...others].map((d) => d.close()));
    await fresh?.drop();
  });

  const forwarded = (o: { pollMs?: number; retryBaseMs?: number; database?: Database } = {}) => {
    const { log, said } = logLines();
    const f = new ForwardedCards({ database: o.database ?? db, log, pollMs: o.pollMs ?? 60_000, retryBaseMs: o.retryBaseMs });
    drains.push(f);
    return Object.assign(f, { said });
  };
  const rows = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM forwarded_cards')).rows[0]!.n);
  const recorder = () => {
    const got: { sink: string; cards: Card[] }[] = [];
    const deliver: DeliverForwarded = async (sink, cards) => void got.push({ sink, cards });
    return { got, deliver };
  };

  it('added batches are handed over once, in order, as they were added, and deleted', async () => {
    const f = forwarded();
    await f.add('slack', [card(1), card(2)]);
    await f.add('teams', [card(3)]);
    await f.add('slack', [card(4, { notes: ['line one\nline two'], links: [{ label: 'Open', url: 'https://example.okta.com/x' }] })]);
    await f.add('slack', []);
    const { got, deliver } = recorder();
    f.drain(deliver);
    await until('three batches', () => got.length === 3);
    await sleep(300);
    expect(got).toEqual([
      { sink: 'slack', cards: [card(1), card(2)] },
      { sink: 'teams', cards: [card(3)] },
      { sink: 'slack', cards: [card(4, { notes: ['line one\nline two'], links: [{ label: 'Open', url: 'https://example.okta.com/x' }] })] },
    ]);
    expect(await rows()).toBe(0);
  });

  it('a hand-over that fails twice is tried again and then made; later batches wait for it; nothing lost', async () => {
    const f = forwarded({ retryBaseMs: 50 });
    await f.add('slack', [card(1)]);
    await f.add('slack', [card(2)]);
    const calls: string[] = [];
    let failures = 2;
    f.drain(async (_sink, cards) => {
      const key = cards[0]!.key!;
      if (key === 'manual:t1' && failures-- > 0) {
        calls.push(`${key} failed`);
        throw new Error('ENOSPC: no space left on device');
      }
      calls.push(key);
    });
    await until('both batches', () => calls.filter((c) => !c.endsWith('failed')).length === 2);
    await sleep(200);
    expect(calls).toEqual(['manual:t1 failed', 'manual:t1 failed', 'manual:t1', 'manual:t2']);
    expect(await rows()).toBe(0);
    // said once for the run of failures, and once when it recovered
    expect(f.said('could not queue forwarded cards')).toBe(1);
    expect(f.said('handed over again')).toBe(1);
  });

  it('two drainers on one table (two leaders by mistake) never hand a batch over twice', async () => {
    const second = await openDatabase(fresh.url, { max: 4 });
    others.push(second);
    const a = forwarded({ pollMs: 50 });
    const b = forwarded({ pollMs: 50, database: second });
    const delivered: string[] = [];
    // slow hand-overs, so both drainers are reading while the other holds rows
    const deliver: DeliverForwarded = async (_sink, cards) => {
      await sleep(3);
      delivered.push(cards[0]!.key!);
    };
    a.drain(deliver);
    b.drain(deliver);
    const N = 150;
    for (let i = 0; i < N; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => (j % 2 ? a : b).add('slack', [card(i + j)])));
    await until(`${N} hand-overs`, () => delivered.length >= N, 15_000);
    await sleep(300);
    expect(delivered).toHaveLength(N);
    expect(new Set(delivered).size).toBe(N);
    expect(await rows()).toBe(0);
  });

  it('a batch added while the drain is idle is handed over within ~1 s (NOTIFY), with no poll due', async () => {
    const f = forwarded({ pollMs: 60_000 });
    const { got, deliver } = recorder();
    f.drain(deliver);
    await sleep(300);
    const added = Date.now();
    await forwarded().add('slack', [card(1)]);
    await until('the batch', () => got.length === 1, 2_000);
    expect(Date.now() - added).toBeLessThan(1_000);
  });

  it('with the LISTEN connection gone the drain polls: a batch still arrives within pollMs', async () => {
    const f = forwarded({ pollMs: 400 });
    const { got, deliver } = recorder();
    f.drain(deliver);
    await sleep(200);
    const killed = await asAdmin((c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query = $2', [
        new URL(fresh.url).pathname.slice(1),
        'LISTEN oig_forwarded_cards',
      ]),
    );
    expect(killed.rowCount).toBe(1);
    await until('the drain to notice', () => f.said('LISTEN connection for forwarded cards was lost') === 1);
    const added = Date.now();
    await forwarded().add('slack', [card(1)]);
    await until('the batch', () => got.length === 1, 2_000);
    expect(Date.now() - added).toBeLessThan(400 + 1_000);
  });

  it('stop() lets a hand-over in flight finish (its row deleted) and takes no further batch', async () => {
    const f = forwarded();
    await f.add('slack', [card(1)]);
    await f.add('slack', [card(2)]);
    let finish!: () => void;
    const started: string[] = [];
    f.drain(async (_sink, cards) => {
      started.push(cards[0]!.key!);
      await new Promise<void>((r) => (finish = r));
    });
    await until('the first hand-over', () => started.length === 1);
    let stopped = false;
    const stopping = f.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(started).toEqual(['manual:t1']);
    expect((await db.pool.query('SELECT cards->0->>$1 AS key FROM forwarded_cards', ['key'])).rows).toEqual([{ key: 'manual:t2' }]);
  });

  it('ReplicaSink: a follower forwards published cards and refuses routed batches; the leader delivers to its own sink', async () => {
    const f = forwarded();
    const slack = recordingSink('slack');
    const leadership = { leading: false };
    const sink = new ReplicaSink(slack, leadership, f);
    expect(sink.name).toBe('slack');
    expect(sink.countsDeliveries).toBe(true);
    expect(sink.routedThrough()).toBe(7);

    await sink.deliver([card(1)]);
    await expect(sink.deliver([card(2)], 12)).rejects.toBeInstanceOf(NotLeading);
    expect(slack.got).toEqual([]);
    expect((await db.pool.query('SELECT sink, cards FROM forwarded_cards')).rows).toEqual([{ sink: 'slack', cards: [card(1)] }]);

    leadership.leading = true;
    await sink.deliver([card(3)], 12);
    expect(slack.got).toEqual([{ cards: [card(3)], through: 12 }]);
    expect(await rows()).toBe(1);
  });

  it('the leader drains forwarded batches into its sinks by name; a batch for a sink it lacks is dropped with a line', async () => {
    const { log, said } = logLines();
    const f = new ForwardedCards({ database: db, log, pollMs: 60_000 });
    drains.push(f);
    await f.add('teams', [card(1)]);
    await f.add('slack', [card(2)]);
    const slack = recordingSink('slack');
    deliverForwardedCards(f, [slack], log);
    await until('the slack batch', () => slack.got.length === 1);
    expect(slack.got).toEqual([{ cards: [card(2)], through: undefined }]);
    expect(said('forwarded cards for "teams" are dropped')).toBe(1);
    expect(await rows()).toBe(0);
  });
});
