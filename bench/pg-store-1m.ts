/**
 * The PostgreSQL store at BENCH_EVENTS (1M by default), issue 13's bench rows: one database filled once
 * (pg-fill.ts, routed already, as a bot that ran on it leaves it), then
 *   - `/oig` p99 (SPEC §8: < 100 ms end to end): a real Bot composed with the real Slack adapter on
 *     DATABASE_URL, in its own process, started on the filled database; once its read indexes have loaded,
 *     the same signed commands as oig-query.ts are timed (timeCommands). Also: how soon it started answering
 *     the hook's route, and how long the load took.
 *   - npm start → first acknowledged delivery (issue 13 §4: < 2 s): restart-ack.ts spawns `src/main.ts`
 *     with DATABASE_URL on the same database (a restart: the /oig bot ran on it before) and posts a delivery
 *     every 25 ms until one is answered 200.
 *
 *   npx tsx bench/pg-store-1m.ts [events]    # a throw-away cluster, or DATABASE_URL; prints one JSON line
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import { createStateStore } from '../src/store/create-state-store.ts';
import { FakeSlack } from '../test/helpers/fake-slack.ts';
import { runChild, stopChild } from './child.ts';
import { OIG_SIGNING_SECRET, timeCommands } from './oig-query.ts';
import { fillEvents } from './pg-fill.ts';
import { benchServer, SKIPPED, withDatabase } from './pg-server.ts';
import { percentile, round } from './stats.ts';

export interface PgOigResult {
  events: number;
  queries: number;
  p50ms: number;
  p99ms: number;
  /** from the start of the composed bot until its read indexes were loaded */
  loadSeconds: number;
  rssMiB: number;
}

export interface PgStoreResult {
  events: number;
  fillSeconds: number;
  oig: PgOigResult;
  /** spawn of src/main.ts → the first 200 on /okta/hooks; null when none came */
  restartFirstAckSeconds: number | null;
}

/** the child: a composed bot on `url`, the commands timed once it has loaded; prints PgOigResult */
async function oigChild(url: string): Promise<void> {
  const fake = await FakeSlack.start();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-pg-query-'));
  const log = pino({ level: 'silent' });
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: url, OKTA_HOOK_SECRET: 'bench-oig-hook-secret-0123456789',
    SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: OIG_SIGNING_SECRET, SLACK_API_URL: fake.url, SLACK_CHANNEL: 'C0BENCH',
  });
  // a silent state store: its own logger would print on stdout, where the parent reads the answer
  const app = await composeBot(config, { hookSecret: config.hook.secret!, log, followUp: false, state: createStateStore(config, { log }) });
  const started = performance.now();
  const port = await app.start();
  await app.bot.loaded();
  const loadSeconds = (performance.now() - started) / 1000;
  // nothing old to route (the cursor is past the fill): idle at once; waited for so no routing runs meanwhile
  await app.bot.idle();
  (globalThis as { gc?: () => void }).gc?.();
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const times = await timeCommands(`http://127.0.0.1:${port}`);
  const result: PgOigResult = { events: app.bot.store.stats().events, queries: times.length, p50ms: round(percentile(times, 50), 1), p99ms: round(percentile(times, 99), 1), loadSeconds: round(loadSeconds, 2), rssMiB };
  await app.stop();
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

export async function benchPgStore(serverUrl: string, events: number): Promise<PgStoreResult> {
  return withDatabase(serverUrl, 'store', async (url) => {
    const fillSeconds = await fillEvents(url, events, { routed: true });
    const oig = await runChild<PgOigResult>('pg-store-1m.ts', ['oig', url]);
    // the child stops its bot cleanly before it prints: the leader lease is free for the restart
    await stopChild(oig.child);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-pg-restart-'));
    try {
      const restart = await runChild<{ firstAckSeconds: number | null }>('restart-ack.ts', [dataDir], { DATABASE_URL: url });
      await stopChild(restart.child);
      return { events, fillSeconds, oig: oig.result, restartFirstAckSeconds: restart.result.firstAckSeconds };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, arg] = process.argv.slice(2);
  if (cmd === 'oig' && arg) await oigChild(arg);
  else {
    const server = await benchServer();
    if (!server) console.log(JSON.stringify({ skipped: SKIPPED }));
    else {
      try {
        console.log(JSON.stringify(await benchPgStore(server.url, Number(cmd ?? process.env.BENCH_EVENTS ?? 1_000_000))));
      } finally {
        await server.stop();
      }
    }
  }
}
