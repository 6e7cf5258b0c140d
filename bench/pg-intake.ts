/**
 * Hook intake on PostgreSQL (issue 13's bench rows): the same load as intake.ts (deliveries of 20 events,
 * 16 in flight, a warm-up of 200, the same load generator) against the bot with DATABASE_URL and 100k events
 * stored first, compared with the bare node:http floor. In `npm run bench` the floor is the one the lowdb
 * row measured in the same run; run alone, this measures the floor first (intake-server.ts `bare`).
 *
 *   npx tsx bench/pg-intake.ts    # a throw-away cluster, or DATABASE_URL; prints one JSON line
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, stopChild } from './child.ts';
import { postAll, type LoadResult } from './load.ts';
import { fillEvents } from './pg-fill.ts';
import { benchServer, SKIPPED, withDatabase } from './pg-server.ts';
import { BENCH_SECRET, makeDeliveries } from './records.ts';
import { round } from './stats.ts';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 3000);
const CONCURRENCY = 16;
const PREFILL = 100_000;

export interface PgIntakeResult {
  batch: number;
  concurrency: number;
  prefilled: number;
  fillSeconds: number;
  bare: LoadResult;
  bot: LoadResult;
  ratio: number;
}

async function measure(script: string, args: string[], bodies: readonly string[]): Promise<LoadResult> {
  const { child, result } = await runChild<{ port: number }>(script, args);
  try {
    const origin = `http://127.0.0.1:${result.port}`;
    // warm-up (JIT, connections, the pool's PostgreSQL connections), then the measured run with fresh events
    await postAll(origin, '/okta/hooks', bodies.slice(0, 200), { authorization: BENCH_SECRET }, CONCURRENCY);
    return await postAll(origin, '/okta/hooks', bodies.slice(200), { authorization: BENCH_SECRET }, CONCURRENCY);
  } finally {
    await stopChild(child);
  }
}

/** `floor`: the bare server's figures from the same run (the lowdb row's); measured here when absent */
export async function benchPgIntake(serverUrl: string, floor?: LoadResult): Promise<PgIntakeResult> {
  const bodies = makeDeliveries(DELIVERIES * (floor ? 1 : 2), 20);
  const bare = floor ?? (await measure('intake-server.ts', ['bare'], bodies.slice(DELIVERIES)));
  return withDatabase(serverUrl, 'intake', async (url) => {
    const fillSeconds = await fillEvents(url, PREFILL);
    const bot = await measure('pg-intake-server.ts', [url], bodies.slice(0, DELIVERIES));
    return { batch: 20, concurrency: CONCURRENCY, prefilled: PREFILL, fillSeconds, bare, bot, ratio: round(bot.perSecond / bare.perSecond, 2) };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await benchServer();
  if (!server) console.log(JSON.stringify({ skipped: SKIPPED }));
  else {
    try {
      console.log(JSON.stringify(await benchPgIntake(server.url)));
    } finally {
      await server.stop();
    }
  }
}
