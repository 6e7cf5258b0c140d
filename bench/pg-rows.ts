/**
 * The PostgreSQL part of `npm run bench` (issue 13's bench rows), next to the lowdb rows: hook intake
 * against the same bare node:http floor, `/oig` p99 and npm start → first acknowledged delivery at
 * BENCH_EVENTS, and a campaign-close burst into two replicas. Each part runs on a fresh database of one
 * server (pg-server.ts: DATABASE_URL, or a throw-away cluster), dropped after; a part that fails says so in
 * its row, and the rest still run. Without any PostgreSQL the rows say they were skipped and why.
 */
import type { LoadResult } from './load.ts';
import { benchPgIntake, type PgIntakeResult } from './pg-intake.ts';
import { benchReplicaBurst, type ReplicaBurstResult } from './pg-replica-burst.ts';
import { benchServer, SKIPPED, type BenchServer } from './pg-server.ts';
import { benchPgStore, type PgStoreResult } from './pg-store-1m.ts';

type Row = [string, string, string, string];

/** a part's figures, or why it has none */
type Part<T> = T | { failed: string };

export interface PostgresResults {
  server?: BenchServer['origin'];
  skipped?: string;
  intake?: Part<PgIntakeResult>;
  store?: Part<PgStoreResult>;
  burst?: Part<ReplicaBurstResult>;
}

async function part<T>(name: string, run: () => Promise<T>): Promise<Part<T>> {
  try {
    return await run();
  } catch (err) {
    // the server URL (and its password) is never in a pg or bench error message; the message alone is kept
    const failed = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    console.error(`bench: the PostgreSQL ${name} part failed: ${failed}`);
    return { failed };
  }
}

export async function benchPostgres(o: { databaseUrl: string | undefined; floor: LoadResult; events: number }): Promise<PostgresResults> {
  let server: BenchServer | undefined;
  try {
    server = await benchServer(o.databaseUrl);
  } catch (err) {
    // the throw-away cluster did not start (its error says why): the lowdb rows are still worth printing
    return { skipped: `skipped: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  if (!server) return { skipped: SKIPPED };
  const { url } = server;
  try {
    return {
      server: server.origin,
      intake: await part('intake', () => benchPgIntake(url, o.floor)),
      store: await part('store', () => benchPgStore(url, o.events)),
      burst: await part('replica burst', () => benchReplicaBurst(url)),
    };
  } finally {
    await server.stop();
  }
}

const ok = (yes: boolean) => (yes ? 'yes' : 'NO');
const failedRow = (what: string, p: { failed: string }): Row => [what, `failed: ${p.failed}`, '', 'NO'];

/** the table's PostgreSQL rows */
export function postgresRows(r: PostgresResults, events: number): Row[] {
  if (r.skipped) return [['PostgreSQL rows', r.skipped, '', '']];
  const rows: Row[] = [[`PostgreSQL server`, r.server === 'DATABASE_URL' ? 'DATABASE_URL' : 'throw-away cluster (fsync and synchronous_commit on)', '', '']];
  const i = r.intake!;
  if ('failed' in i) rows.push(failedRow('hook intake on PostgreSQL', i));
  else {
    rows.push(
      [`hook intake, bot on PostgreSQL (${i.prefilled / 1000}k stored)`, `${i.bot.perSecond} req/s, p50 ${i.bot.p50ms} ms, p99 ${i.bot.p99ms} ms`, '', ''],
      ['intake ratio PostgreSQL bot / bare', `${i.ratio}`, '>= 0.5', ok(i.ratio >= 0.5)],
      ['intake p99 ack on PostgreSQL', `${i.bot.p99ms} ms`, '< 100 ms', ok(i.bot.p99ms < 100)],
    );
  }
  const s = r.store!;
  if ('failed' in s) rows.push(failedRow(`PostgreSQL at ${events} events`, s));
  else {
    rows.push(
      [`/oig answer at ${s.oig.events} events on PostgreSQL (${s.oig.queries} commands)`, `p50 ${s.oig.p50ms} ms, p99 ${s.oig.p99ms} ms (loaded in ${s.oig.loadSeconds} s, RSS ${s.oig.rssMiB} MiB)`, 'p99 < 100 ms', ok(s.oig.p99ms < 100)],
      [`npm start to the first acknowledged delivery at ${s.events} events on PostgreSQL`, `${s.restartFirstAckSeconds ?? 'none'} s`, '< 2 s (issue 13)', ok(s.restartFirstAckSeconds !== null && s.restartFirstAckSeconds < 2)],
    );
  }
  const b = r.burst!;
  if ('failed' in b) rows.push(failedRow('campaign-close burst into two replicas on PostgreSQL', b));
  else {
    rows.push([
      `campaign-close burst into ${b.replicas} replicas on PostgreSQL (Slack), ${b.events} events in 60 s`,
      `${b.stored} stored, ${b.messages} messages + ${b.updates} updates, ${b.duplicates} posted twice, max ${b.maxPerSecondPerChannel}/s/channel, ${b.unhandled429} unhandled 429, ${b.dropped} dropped, drained in ${b.seconds} s`,
      'all stored, each card once, <= 1/s/channel, 0 unhandled 429',
      ok(b.stored === b.events && b.duplicates === 0 && b.maxPerSecondPerChannel <= 1 && b.unhandled429 === 0 && b.dropped === 0),
    ]);
  }
  return rows;
}
