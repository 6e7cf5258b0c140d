/**
 * The bot under the hook-intake load on PostgreSQL, in its own process (bench/pg-intake.ts runs it): the
 * same Bot as intake-server.ts's `bot` mode (hook route, normalize, routing, no chat) with DATABASE_URL set,
 * so events, the routing cursor and the leader lease are in that database. The database holds the
 * prefill already (pg-fill.ts, not yet routed): the bot loads and routes it at start, as after a crash,
 * and intake is measured once that is done, as in steady operation. Prints {"port", "stored"}.
 *
 *   npx tsx bench/pg-intake-server.ts <DATABASE_URL>
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Bot } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createStateStore } from '../src/store/create-state-store.ts';
import { BENCH_SECRET } from './records.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: npx tsx bench/pg-intake-server.ts <DATABASE_URL>');
// a replica keeps nothing in DATA_DIR; the configuration still names one
const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-pg-'));
process.once('exit', () => void rm(dataDir, { recursive: true, force: true }));
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: BENCH_SECRET, DATABASE_URL: url });
const log = pino({ level: 'silent' });
// the state store's own logger would print its "connected" line on stdout, where the bench reads this process's answer
const bot = new Bot({ config, hookSecret: BENCH_SECRET, log, sinks: [], state: createStateStore(config, { log }) });
const port = await bot.start();
await bot.idle();
console.log(JSON.stringify({ port, stored: bot.store.stats().events }));
