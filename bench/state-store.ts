/**
 * The bot's own state in PostgreSQL against files (src/store/state-store.ts): what a burst costs the outbox
 * journal, one change at a time, and the documents.
 *
 *   [DATABASE_URL=postgres://user:pw@host:port/db] npx tsx bench/state-store.ts [cards]
 *
 * Without DATABASE_URL a throw-away cluster is started (Debian's PostgreSQL, as the tests do; it runs with
 * fsync off, so give a DATABASE_URL of a server with fsync on for figures a real deployment sees). For each
 * store: `cards` (default 10,000) outbox adds made at once (one card each, as routing makes them in a
 * campaign-close burst) until all are committed, and how many INSERT statements that took (group commit);
 * 1,000 adds one after another (latency per commit); 500 document changes one after another. Prints one
 * JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Card } from '../src/cards/card.ts';
import { Outbox } from '../src/delivery/outbox.ts';
import { FileStateStore } from '../src/store/file-state-store.ts';
import { PgStateStore } from '../src/store/postgres/pg-state-store.ts';
import type { PgStateJournal } from '../src/store/postgres/pg-state-journal.ts';
import type { StateStore } from '../src/store/state-store.ts';
import { newestPostgresBin, startCluster } from '../test/setup/postgres-cluster.ts';
import { percentile, round } from './stats.ts';

const log = pino({ level: 'silent' });
const cards = Number(process.argv[2] ?? 10_000);
const card = (i: number): Card => ({
  kind: 'decision', family: 'CERTIFICATION', severity: 'danger', title: `REVOKE ${i}`, facts: [{ label: 'Reviewer', value: 'Ada Lovelace' }], eventIds: [`evt-${i}`], at: '2026-11-20T10:00:00.000Z', key: `decision:${i}`,
});

async function measure(store: StateStore, statements: () => number | undefined): Promise<Record<string, number | undefined>> {
  const box = await Outbox.open(store, 'slack-outbox');
  let t = performance.now();
  await Promise.all(Array.from({ length: cards }, (_, i) => box.add([card(i)], () => 'C1')));
  const burstMs = performance.now() - t;
  const burstStatements = statements();
  const lat: number[] = [];
  for (let i = 0; i < 1000; i++) {
    t = performance.now();
    await box.add([card(cards + i)], () => 'C2');
    lat.push(performance.now() - t);
  }
  await box.close();
  const doc = await store.doc('bench-doc', { n: 0 }).open();
  t = performance.now();
  for (let i = 0; i < 500; i++) await doc.update((d) => void d.n++);
  const docMs = (performance.now() - t) / 500;
  return {
    burstMs: round(burstMs),
    burstPerSecond: Math.round(cards / (burstMs / 1000)),
    burstStatements,
    commitP50Ms: round(percentile(lat, 50)),
    commitP99Ms: round(percentile(lat, 99)),
    docUpdateMs: round(docMs),
  };
}

async function main(): Promise<void> {
  let server = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!server) {
    const bin = newestPostgresBin();
    if (!bin) throw new Error('set DATABASE_URL or install PostgreSQL');
    const cluster = await startCluster(bin);
    [server, stop] = [cluster.url, cluster.stop];
  }
  const dbName = `oig_bench_state_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'oig-bench-state-'));
  try {
    const pgStore = new PgStateStore({ url: u.toString(), log });
    let journal: PgStateJournal<never, never> | undefined;
    const open = pgStore.journal.bind(pgStore);
    pgStore.journal = (async (...args: Parameters<typeof open>) => (journal = (await open(...args)) as PgStateJournal<never, never>)) as typeof pgStore.journal;
    const postgres = await measure(pgStore, () => journal?.commits);
    await pgStore.close();
    const files = await measure(new FileStateStore(dir), () => undefined);
    console.log(JSON.stringify({ cards, postgres, files }));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await stop?.();
  }
}

await main();
