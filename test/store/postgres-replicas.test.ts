/**
 * Several replicas on one database (issue 13 item 2, the event side): each store instance stands for a
 * replica. The same event delivered to two of them is stored once; positions are contiguous and in commit
 * order whoever appends, so a reader tailing `seq > last` never skips a row; each replica reads the rows
 * the others append (NOTIFY, and a poll when the LISTEN connection is gone), so /oig answers the same on
 * any of them; retention run on one is applied by the others.
 */
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EventRecord } from '../../src/domain/records.ts';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.ts';
import { decision } from '../helpers/records.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';

const log = pino({ level: 'silent' });
let n = 0;
const next = (over: Partial<EventRecord> = {}) => {
  n++;
  return decision({ id: `r-${n}`, item: `item-${n}`, at: '2026-11-20T10:00:00.000Z', ...(over as object) });
};
const ids = (rs: readonly EventRecord[]) => rs.map((r) => r.id);

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describePg('PostgreSQL event store: several replicas on one database', () => {
  let db: FreshDatabase;
  const stores: PostgresEventStore[] = [];
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await db.drop();
  });
  async function replica(pollMs = 1000): Promise<PostgresEventStore> {
    const s = new PostgresEventStore({ url: db.url, log, retentionDays: 30, pollMs });
    stores.push(s);
    await s.open();
    await s.whenLoaded();
    return s;
  }

  it('stores an event delivered to two replicas at once exactly once', async () => {
    const [a, b] = [await replica(), await replica()];
    for (let i = 0; i < 20; i++) {
      const shared = [next(), next()];
      const [ra, rb] = await Promise.all([a.append(shared), b.append([...shared].reverse())]);
      expect(ra.stored.length + rb.stored.length).toBe(2);
      expect(ra.duplicates + rb.duplicates).toBe(2);
    }
    await until(() => a.lastSeq === 40 && b.lastSeq === 40, 'both replicas to read all 40');
    // no position burned by the race: 1..40, the same on both
    expect(a.recordsAfter(0).map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(ids(b.recordsAfter(0))).toEqual(ids(a.recordsAfter(0)));
  });

  it('gives positions in commit order across replicas: a reader tailing seq > last sees every row, contiguous', async () => {
    const replicas = [await replica(), await replica(), await replica()];
    const reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
    const seen: number[] = [];
    let writing = true;
    const tail = (async () => {
      for (;;) {
        const done = !writing;
        const { rows } = await reader.query<{ seq: string }>('SELECT seq FROM events WHERE seq > $1 ORDER BY seq', [seen[seen.length - 1] ?? 0]);
        for (const r of rows) seen.push(Number(r.seq));
        if (done) return;
      }
    })();
    const acked: EventRecord[] = [];
    await Promise.all(
      replicas.map(async (s) => {
        for (let i = 0; i < 40; i++) acked.push(...(await s.append(i % 4 === 0 ? [next(), next(), next()] : [next()])).stored);
      }),
    );
    writing = false;
    await tail;
    await reader.end();
    // had a later commit taken a lower position, the tail would have jumped past it: a hole here
    expect(seen).toEqual(Array.from({ length: acked.length }, (_, i) => i + 1));
    for (const s of replicas) {
      await until(() => s.lastSeq === acked.length, 'every replica to read every row');
      expect(s.recordsAfter(0).map((r) => r.seq)).toEqual(seen);
      // what this replica acknowledged is the very record it indexed
      for (const r of acked) if (s.get(r.id) === r) expect(s.get(r.id)!.seq).toBe(r.seq);
    }
  });

  it('answers the same on every replica: another replica\u2019s append is read within moments, and a replica\u2019s own append at once', async () => {
    const [a, b] = [await replica(60_000), await replica(60_000)];
    await a.append([next({ item: 'X-1' })]);
    // own rows are readable when append resolves, even when another replica wrote in between
    await b.append([next({ item: 'X-2' })]);
    expect(ids(b.lookup('item', 'X-2'))).toHaveLength(1);
    expect(b.lookup('item', 'X-1')).toHaveLength(1);
    // no poll within this test (60 s): the notification brings it
    await until(() => a.lookup('item', 'X-2').length === 1, 'replica a to read b\u2019s row');
    expect(ids(a.recordsAfter(0))).toEqual(ids(b.recordsAfter(0)));
    expect(a.campaignTotals({ name: 'Q2 access review' })).toEqual(b.campaignTotals({ name: 'Q2 access review' }));
  });

  it('keeps reading other replicas\u2019 rows by polling when the LISTEN connection is lost, and listens again', async () => {
    const [a, b] = [await replica(), await replica(200)];
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const listening = async () =>
      (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN oig_events'")).rows;
    const before = await listening();
    expect(before).toHaveLength(2);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1', ['LISTEN oig_events']);
    await a.append([next({ item: 'after-loss' })]);
    await until(() => b.lookup('item', 'after-loss').length === 1, 'replica b to poll the row');
    // both replicas listen again after their next poll
    const end = Date.now() + 3000;
    while ((await listening()).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect((await listening()).length).toBe(2);
    await admin.end();
  });

  it('drops on every replica what retention on one of them deleted', async () => {
    const [a, b] = [await replica(), await replica(200)];
    const old = next({ at: '2025-01-01T00:00:00.000Z', item: 'old' });
    await a.append([old, next({ item: 'new' })]);
    await until(() => b.lookup('item', 'old').length === 1, 'replica b to read the rows');
    expect(await a.applyRetention(new Date('2026-11-21T00:00:00.000Z'))).toBe(1);
    expect(a.has(old.id)).toBe(false);
    await until(() => !b.has(old.id), 'replica b to drop the old row');
    expect(b.lookup('item', 'new')).toHaveLength(1);
    expect(b.stats().events).toBe(1);
  });
});
