/**
 * The StateStore contract (state-store-contract.ts) for PostgreSQL, and what only several replicas on one
 * database can show: each PgStateStore instance, with its own pool, stands for a replica. Documents
 * changed by two at once lose nothing and reach the other's `data` (LISTEN, and the poll without it); a
 * journal has one writer, and a second one planning on a stale state is refused without harm; concurrent
 * commits share one INSERT.
 */
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { MessageRefs } from '../../src/delivery/message-refs.ts';
import { Outbox } from '../../src/delivery/outbox.ts';
import { createStateStore } from '../../src/store/create-state-store.ts';
import { openDatabase } from '../../src/store/postgres/database.ts';
import { PgStateStore, type PgStateStoreOptions } from '../../src/store/postgres/pg-state-store.ts';
import type { PgStateJournal } from '../../src/store/postgres/pg-state-journal.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { stateStoreContract } from './state-store-contract.ts';

const log = pino({ level: 'silent' });
const card = (title: string): Card => ({ kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title, facts: [], eventIds: [], at: '2024-05-02T09:30:00.000Z' });
const to = (channel: string) => () => channel;

async function until(check: () => boolean, what: string, ms = 3000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

/** a tiny journalled state: a list of numbers */
class Numbers {
  readonly list: number[] = [];
  bytes = 0;
  static decode(json: unknown): Numbers {
    const n = new Numbers();
    for (const x of json as number[]) n.apply({ push: x });
    return n;
  }
  apply(op: { push: number }): void {
    this.list.push(op.push);
    this.bytes += 1;
  }
  encode(): number[] {
    return this.list;
  }
}
const numbers = { create: () => new Numbers(), decode: (json: unknown) => Numbers.decode(json) };
const push = (x: number) => (s: Readonly<Numbers>) => ({ op: { push: x }, result: s.list.length });

describePg('PostgreSQL state store', () => {
  stateStoreContract('PostgreSQL', async () => {
    const db = await freshDatabase();
    return { open: () => new PgStateStore({ url: db.url, log }), remove: () => db.drop() };
  });

  let db: FreshDatabase;
  const stores: PgStateStore[] = [];
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await db.drop();
  });
  function replica(o: Partial<PgStateStoreOptions> = {}): PgStateStore {
    const s = new PgStateStore({ url: db.url, log, ...o });
    stores.push(s);
    return s;
  }
  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }

  it('createStateStore picks PostgreSQL when DATABASE_URL is set, and answers before it connects', async () => {
    const store = createStateStore({ databaseUrl: db.url, dataDir: '/nonexistent' }, { log });
    stores.push(store as PgStateStore);
    expect(store.kind).toBe('postgres');
    const doc = await store.doc('routing', { routedThrough: -1 }).open();
    await doc.update((d) => void (d.routedThrough = 5));
    expect(await sql('SELECT name, version, data::text AS data FROM state_docs')).toEqual([{ name: 'routing', version: '1', data: '{"routedThrough":5}' }]);
  });

  it('two replicas incrementing one document 100 times each, at once, reach 200', async () => {
    const [a, b] = [replica(), replica()];
    const [da, dbb] = await Promise.all([a.doc('counter', { n: 0 }).open(), b.doc('counter', { n: 0 }).open()]);
    await Promise.all([...Array.from({ length: 100 }, () => da.update((d) => void d.n++)), ...Array.from({ length: 100 }, () => dbb.update((d) => void d.n++))]);
    expect(await sql('SELECT version, data::text AS data FROM state_docs')).toEqual([{ version: '200', data: '{"n":200}' }]);
    await until(() => da.data.n === 200 && dbb.data.n === 200, 'both replicas to hold 200');
  });

  it("one replica's change reaches the other's data by notification, well before a poll", async () => {
    const [a, b] = [replica(), replica({ pollMs: 60_000 })];
    const [da, dbb] = await Promise.all([a.doc('teams-subscriptions', { subs: [] as string[] }).open(), b.doc('teams-subscriptions', { subs: [] as string[] }).open()]);
    await until(() => b.listening, 'b to listen');
    // the read b makes when it starts listening may catch the first change: the later ones come by notification
    for (const conv of ['conv-1', 'conv-2', 'conv-3']) {
      await da.update((d) => void d.subs.push(conv));
      const ms = await until(() => dbb.data.subs.includes(conv), `b to see ${conv}`);
      expect(ms).toBeLessThan(2000);
    }
    expect(dbb.data).toEqual({ subs: ['conv-1', 'conv-2', 'conv-3'] });
  });

  it('follows by the poll alone when notifications do not pass (listen: false)', async () => {
    const [a, b] = [replica(), replica({ listen: false, pollMs: 200 })];
    const [da, dbb] = await Promise.all([a.doc('asa-checkpoint', { offset: 0 }).open(), b.doc('asa-checkpoint', { offset: 0 }).open()]);
    await da.update((d) => void (d.offset = 42));
    await until(() => dbb.data.offset === 42, "b's poll to read a's change", 2000);
    expect(b.listening).toBe(false);
  });

  it('listens again by itself when its LISTEN connection is killed, and reads what changed meanwhile', async () => {
    const [a, b] = [replica(), replica({ pollMs: 60_000 })];
    const [da, dbb] = await Promise.all([a.doc('routing', { at: 0 }).open(), b.doc('routing', { at: 0 }).open()]);
    await until(() => b.listening, 'b to listen');
    const killed = await sql<{ ok: boolean }>("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
    expect(killed.length).toBeGreaterThan(0);
    await until(() => !b.listening, 'b to notice');
    // changed while nobody listened: read when it listens again
    await da.update((d) => void (d.at = 1));
    await until(() => dbb.data.at === 1, 'b to listen again and read the change', 5000);
    await until(() => b.listening, 'b to listen');
    await da.update((d) => void (d.at = 2));
    await until(() => dbb.data.at === 2, 'the next change by notification', 2000);
  });

  it('a second writer on a stale state is refused, its state unchanged; after catchUp it writes on', async () => {
    const [a, b] = [replica(), replica()];
    // both open the new journal at once (both replicas start together)
    const [ja, jb] = await Promise.all([a.journal<Numbers, { push: number }>('slack-outbox', numbers), b.journal<Numbers, { push: number }>('slack-outbox', numbers)]);
    await ja.commit(push(1));
    await ja.commit(push(2));
    // b opened before a wrote: its state is stale, and several commits share one refused write
    const refused = await Promise.allSettled([jb.commit(push(90)), jb.commit(push(91))]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason.message).toBe('another replica wrote journal slack-outbox; this process no longer writes it (it must catch up first, as a new leader does)');
    }
    expect(jb.state.list).toEqual([]);
    expect((await sql<{ op: string }>('SELECT op::text AS op FROM state_journal_ops ORDER BY seq')).map((r) => r.op)).toEqual(['{"push":1}', '{"push":2}']);
    // still stale: refused again, nothing written
    await expect(jb.commit(push(92))).rejects.toThrow(/another replica wrote journal slack-outbox/);
    await jb.catchUp();
    expect(jb.state.list).toEqual([1, 2]);
    await jb.commit(push(3));
    expect(jb.state.list).toEqual([1, 2, 3]);
    // now a is the stale one
    await expect(ja.commit(push(4))).rejects.toThrow(/another replica wrote journal/);
    expect(ja.state.list).toEqual([1, 2]);
    const c = await replica().journal<Numbers, { push: number }>('slack-outbox', numbers);
    expect(c.state.list).toEqual([1, 2, 3]);
  });

  it('refuses a stale writer even after the rows it would collide with were compacted away, until it catches up', async () => {
    const [a, b] = [replica(), replica()];
    const ja = await a.journal<Numbers, { push: number }>('slack-messages', numbers, { floorBytes: 16 });
    const jb = await b.journal<Numbers, { push: number }>('slack-messages', numbers, { floorBytes: 16 });
    for (let i = 1; i <= 20; i++) await ja.commit(push(i));
    expect(Number((await sql<{ s: string }>('SELECT snapshot_seq AS s FROM state_journals'))[0]!.s)).toBeGreaterThan(1);
    await expect(jb.commit(push(99))).rejects.toThrow(/another replica wrote journal slack-messages/);
    // its own state at position 0 is gone from the database: it holds a's (never one ahead of the database)
    expect(jb.state.list).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // and it writes nothing until it catches up, as a new leader does
    await expect(jb.commit(push(99))).rejects.toThrow(/another replica wrote journal slack-messages/);
    expect(Number((await sql<{ s: string }>('SELECT last_seq AS s FROM state_journals'))[0]!.s)).toBe(20);
    await jb.catchUp!();
    await jb.commit(push(21));
    expect(jb.state.list).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('group commit: 2,000 concurrent commits take far fewer INSERT statements (counted by the server), in order', async () => {
    const store = replica();
    const j = (await store.journal<Numbers, { push: number }>('slack-outbox', numbers)) as PgStateJournal<Numbers, { push: number }>;
    // the server's own count of INSERT statements into the ops table
    await sql(`CREATE TABLE insert_count (n int NOT NULL); INSERT INTO insert_count VALUES (0);
      CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE insert_count SET n = n + 1; RETURN NULL; END $$;
      CREATE TRIGGER count_insert AFTER INSERT ON state_journal_ops FOR EACH STATEMENT EXECUTE FUNCTION count_insert();`);
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => j.commit(push(i))));
    expect(results).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    const inserts = (await sql<{ n: number }>('SELECT n FROM insert_count'))[0]!.n;
    expect(inserts).toBe(j.commits);
    expect(inserts).toBeLessThan(20);
    const again = await replica().journal<Numbers, { push: number }>('slack-outbox', numbers);
    expect(again.state.list).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('reopens after compaction from the snapshot and the few changes after it', async () => {
    const store = replica();
    const box = await Outbox.open(store, 'slack-outbox', { floorBytes: 1024 });
    for (let i = 0; i < 200; i++) await box.add([card(`c${i}`)], to('C1'), i + 1);
    for (let i = 0; i < 150; i++) {
      const item = box.next('C1')!;
      await box.remove(item.id, item.version);
    }
    await box.close();
    const [head] = await sql<{ snapshot_seq: string; last_seq: string; ops: number }>(
      "SELECT snapshot_seq, last_seq, (SELECT count(*)::int FROM state_journal_ops WHERE name = 'slack-outbox') AS ops FROM state_journals WHERE name = 'slack-outbox'",
    );
    const { snapshot_seq, last_seq, ops } = head!;
    expect(Number(last_seq)).toBe(350);
    expect(Number(snapshot_seq)).toBeGreaterThan(300);
    expect(ops).toBe(350 - Number(snapshot_seq));
    const again = await Outbox.open(replica(), 'slack-outbox', { floorBytes: 1024 });
    expect([again.size, again.routedThrough, again.next('C1')!.card.title]).toEqual([50, 200, 'c150']);
    await again.close();
  });

  it('a failed write rejects its commits and leaves the state as the database has it', async () => {
    const store = replica();
    const refs = await MessageRefs.open(store, 'teams-messages');
    await refs.set('k:1', { channel: 'C', ts: '1', at: 1 });
    // the database refuses the next write (a CHECK the test adds): the statement fails, nothing is stored
    await sql("ALTER TABLE state_journal_ops ADD CONSTRAINT no_two CHECK (op::text NOT LIKE '%k:2%')");
    const err = await refs.set('k:2', { channel: 'C', ts: '2', at: 2 }).then(() => undefined, (e: unknown) => e);
    // what failed and the server's words, never the driver's error object (it can reach the password)
    expect(err).toMatchObject({ code: 'STATE_DATABASE', sqlState: '23514' });
    expect((err as Error).message).toMatch(/^writing the state journal teams-messages failed in PostgreSQL: .*no_two.* \(23514\)$/);
    expect([refs.size, refs.get('k:2')]).toEqual([1, undefined]);
    await sql('ALTER TABLE state_journal_ops DROP CONSTRAINT no_two');
    await refs.set('k:3', { channel: 'C', ts: '3', at: 3 });
    const again = await MessageRefs.open(replica(), 'teams-messages');
    expect([again.size, again.get('k:3')?.ts, again.get('k:2')]).toEqual([2, '3', undefined]);
  });

  it('a write whose connection is killed mid-statement rejects, stores nothing half, and the next commit works', async () => {
    const store = replica();
    const j = await store.journal<Numbers, { push: number }>('teams-outbox', numbers);
    await j.commit(push(1));
    // the next insert sleeps in the server, long enough to kill its connection meanwhile
    await sql(`CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
      CREATE TRIGGER slow AFTER INSERT ON state_journal_ops FOR EACH STATEMENT EXECUTE FUNCTION slow();`);
    const writing = j.commit(push(2)).then(() => undefined, (e: unknown) => e);
    // kill it once the server runs it
    let killed: unknown[] = [];
    for (let tries = 0; killed.length === 0 && tries < 100; tries++) {
      killed = await sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%INSERT INTO state_journal_ops%' AND state = 'active'");
    }
    expect(killed).toHaveLength(1);
    expect(await writing).toMatchObject({ code: 'STATE_DATABASE' });
    expect(j.state.list).toEqual([1]);
    await sql('DROP TRIGGER slow ON state_journal_ops');
    await j.commit(push(3));
    expect(j.state.list).toEqual([1, 3]);
    const again = await replica().journal<Numbers, { push: number }>('teams-outbox', numbers);
    expect(again.state.list).toEqual([1, 3]);
  });

  it('a document write the database refuses rejects and leaves data as it was; the next one works', async () => {
    const doc = await replica().doc('manual-task-audit', { entries: [] as string[] }).open();
    await doc.update((d) => void d.entries.push('claimed'));
    await sql("ALTER TABLE state_docs ADD CONSTRAINT no_done CHECK (data::text NOT LIKE '%done%')");
    const err = await doc.update((d) => void d.entries.push('done')).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'STATE_DATABASE', sqlState: '23514' });
    expect((err as Error).message).toMatch(/^changing the state document manual-task-audit failed in PostgreSQL: .*no_done/);
    expect(doc.data).toEqual({ entries: ['claimed'] });
    await sql('ALTER TABLE state_docs DROP CONSTRAINT no_done');
    await doc.update((d) => void d.entries.push('done'));
    expect(doc.data).toEqual({ entries: ['claimed', 'done'] });
  });

  it('shares a database it was given and leaves it open; its own pool holds at most 6 connections', async () => {
    const shared = await openDatabase(db.url, { log });
    try {
      const store = new PgStateStore({ database: shared, log });
      await (await store.doc('routing', { n: 0 }).open()).update((d) => void d.n++);
      expect(await store.database()).toBe(shared);
      await store.close();
      expect((await shared.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await shared.close();
    }
    const own = replica();
    const docs = await Promise.all(Array.from({ length: 12 }, (_, i) => own.doc(`d-${i}`, { n: 0 }).open()));
    await Promise.all(docs.flatMap((d) => [d.update((x) => void x.n++), d.update((x) => void x.n++)]));
    expect((await own.database()).pool.totalCount).toBeLessThanOrEqual(6);
  });
});
