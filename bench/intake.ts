import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, stopChild } from './child.ts';
import { postAll, type LoadResult } from './load.ts';
import { BENCH_SECRET, makeDeliveries } from './records.ts';
import { round } from './stats.ts';

/**
 * Hook intake (SPEC §8): deliveries of 20 events, 100k already stored, 16 in flight, against the bare
 * node:http floor and then the bot, each server in its own process, the load generated here. The ratio
 * bot / bare is the target (>= 0.5), measured in the same run.
 *
 * Run alone: `npx tsx bench/intake.ts` prints one JSON line (BENCH_DELIVERIES, default 3000 per server).
 */
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 3000);
const CONCURRENCY = 16;

export interface IntakeResult {
  batch: number;
  concurrency: number;
  prefilled: number;
  bare: LoadResult;
  bot: LoadResult;
  ratio: number;
}

export async function benchIntake(): Promise<IntakeResult> {
  const bodies = makeDeliveries(DELIVERIES * 2, 20);
  const run = async (mode: string, batch: string[]): Promise<LoadResult> => {
    const { child, result } = await runChild<{ port: number; dataDir?: string }>('intake-server.ts', [mode, '100000']);
    try {
      const origin = `http://127.0.0.1:${result.port}`;
      // warm-up (JIT, connections), then the measured run with fresh events
      await postAll(origin, '/okta/hooks', batch.slice(0, 200), { authorization: BENCH_SECRET }, CONCURRENCY);
      return await postAll(origin, '/okta/hooks', batch.slice(200), { authorization: BENCH_SECRET }, CONCURRENCY);
    } finally {
      await stopChild(child);
      if (result.dataDir) await rm(result.dataDir, { recursive: true, force: true });
    }
  };
  const bare = await run('bare', bodies.slice(0, DELIVERIES));
  const bot = await run('bot', bodies.slice(DELIVERIES));
  return { batch: 20, concurrency: CONCURRENCY, prefilled: 100_000, bare, bot, ratio: round(bot.perSecond / bare.perSecond, 2) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchIntake()));
}
