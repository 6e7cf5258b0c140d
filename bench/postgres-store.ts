/**
 * The PostgreSQL event store at scale (issue 13: fast start, /oig from memory, intake commits).
 *
 *   [DATABASE_URL=postgres://user:pw@host:port/db] npx tsx bench/postgres-store.ts [events] [--jsonb] [--keep]
 *
 * Creates a throw-away database on that server (the user needs CREATEDB; without DATABASE_URL a throw-away
 * cluster, bench/pg-server.ts), fills it with `events` records
 * through the store's own append (batches of 5,000), then, in a fresh process so memory is its own:
 * times open() until a delivery of 20 events is committed (the hook's first ack, target < 2 s at 1M),
 * until the read indexes are loaded, RSS, /oig-style lookups, and intake commit latency (deliveries one
 * after another, and 50 at once sharing commits). `--jsonb` also times reading the whole log from a
 * jsonb copy of the table against the text column the store uses. Prints one JSON line; drops the database
 * (`--keep` keeps it and prints the command that measures another start on it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import type { EventRecord } from '../src/domain/records.ts';
import { PostgresEventStore } from '../src/store/postgres/postgres-event-store.ts';
import { admin, benchServer, SKIPPED } from './pg-server.ts';
import { makeRecords } from './records.ts';
import { percentile, round } from './stats.ts';

const log = pino({ level: 'warn' });
const args = process.argv.slice(2);
const seconds = (since: number) => round((performance.now() - since) / 1000, 2);

async function fill(url: string, count: number): Promise<number> {
  const store = new PostgresEventStore({ url, log, retentionDays: 36500 });
  await store.open();
  const started = performance.now();
  const chunk = 100_000;
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    const records = makeRecords(n, (300 * n) / count, Date.now() - ((count - done - n) / count) * 300 * 86_400_000);
    for (let i = 0; i < records.length; i += 5000) await store.append(records.slice(i, i + 5000));
  }
  await store.close();
  return seconds(started);
}

/** reads the whole table page by page as the store's load does: the text column parsed here, jsonb by the driver */
async function readAll(url: string, table: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const started = performance.now();
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<{ seq: string; record: unknown }>(`SELECT seq, record FROM ${table} WHERE seq > $1 ORDER BY seq LIMIT 20000`, [after]);
    if (rows.length === 0) break;
    for (const r of rows) if (typeof r.record === 'string') JSON.parse(r.record);
    after = Number(rows[rows.length - 1]!.seq);
  }
  await pool.end();
  return seconds(started);
}

async function measureLoad(url: string): Promise<Record<string, unknown>> {
  const firstDelivery = makeRecords(20, 0.001);
  const started = performance.now();
  const store = new PostgresEventStore({ url, log, retentionDays: 36500 });
  await store.open();
  const openSeconds = seconds(started);
  await store.append(firstDelivery);
  const acceptSeconds = seconds(started);
  const progressAtFirstAck = store.loadProgress();
  await store.whenLoaded();
  const loadSeconds = seconds(started);
  // what the store keeps, not the load's garbage (run with --expose-gc, as the fresh process below is)
  (globalThis as { gc?: () => void }).gc?.();
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const heapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);

  // /oig-style reads: a person's timeline, and REVOKE decisions of the last 7 days
  const lookups: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    store.lookup('principal', `user${(i * 37) % 50_000}@example.com`);
    lookups.push(performance.now() - t);
  }
  const revokes: number[] = [];
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    store.lookup('type', 'certification.campaign.item.decide').filter((r) => r.at >= since && (r as { decision?: string }).decision === 'REVOKE');
    revokes.push(performance.now() - t);
  }

  // intake: one delivery of 20 after another (a commit each), then 50 at once (shared commits)
  const one: number[] = [];
  for (let i = 0; i < 100; i++) {
    const d = makeRecords(20, 0.001);
    const t = performance.now();
    await store.append(d, JSON.stringify(d));
    one.push(performance.now() - t);
  }
  const commitsBefore = store.stats().commits;
  const burst: EventRecord[][] = Array.from({ length: 50 }, () => makeRecords(20, 0.001));
  const t = performance.now();
  await Promise.all(burst.map((d) => store.append(d, JSON.stringify(d))));
  const burstMs = performance.now() - t;
  const burstCommits = store.stats().commits - commitsBefore;
  const events = store.stats().events;
  await store.close();
  return {
    events,
    openSeconds,
    acceptSeconds,
    progressAtFirstAck,
    loadSeconds,
    rssMiB,
    heapMiB,
    lookupP99ms: round(percentile(lookups, 99), 3),
    revokes7dP99ms: round(percentile(revokes, 99), 1),
    appendP50ms: round(percentile(one, 50), 1),
    appendP99ms: round(percentile(one, 99), 1),
    burst50x20ms: round(burstMs, 0),
    burstCommits,
  };
}

const self = fileURLToPath(import.meta.url);

if (args[0] === 'load' && args[1]) {
  console.log(JSON.stringify(await measureLoad(args[1])));
} else {
  const bench = await benchServer();
  if (!bench) throw new Error(`bench/postgres-store.ts: ${SKIPPED}`);
  // --keep: a throw-away cluster would go with this process, so keep needs a server of one's own
  if (args.includes('--keep') && bench.origin !== 'DATABASE_URL') throw new Error('--keep needs DATABASE_URL (a throw-away cluster is stopped at the end)');
  const server = bench.url;
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const name = `oig_bench_${randomBytes(4).toString('hex')}`;
  await admin(server, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();
  try {
    const fillSeconds = await fill(url, count);
    await admin(url, (c) => c.query('VACUUM ANALYZE events'));
    let readSeconds: Record<string, number> | undefined;
    if (args.includes('--jsonb')) {
      await admin(url, async (c) => {
        await c.query('CREATE TABLE events_jsonb AS SELECT seq, record::jsonb AS record FROM events');
        await c.query('CREATE UNIQUE INDEX ON events_jsonb (seq)');
        await c.query('VACUUM ANALYZE events_jsonb');
      });
      readSeconds = { text: await readAll(url, 'events'), jsonb: await readAll(url, 'events_jsonb') };
      await admin(url, (c) => c.query('DROP TABLE events_jsonb'));
    }
    // a new process: a restart, with nothing of the fill in its memory
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'load', url], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`load run exited ${code}`))));
    });
    console.log(JSON.stringify({ stored: count, fillSeconds, ...(readSeconds && { readAllSeconds: readSeconds }), ...(JSON.parse(out) as object) }));
  } finally {
    if (args.includes('--keep')) console.error(`kept: npx tsx --expose-gc bench/postgres-store.ts load ${url}`);
    else await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await bench.stop();
  }
}
