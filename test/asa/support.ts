import { FileStateStore } from '../../src/store/file-state-store.ts';
/**
 * The ASA test harness: a fake ASA server, the real event store and intake on a temporary DATA_DIR (what
 * `npm run asa -- poll` runs; a whole Bot with routing only where a test looks at cards: `bot: true`),
 * a real undici client whose retry waits are recorded instead of slept, and a poller wired to them.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { AsaPoller, type AsaPollerOptions } from '../../src/asa/asa-poller.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createHttpAgent, type AgentTimeouts } from '../../src/http-client/agent.ts';
import { HttpClient, type HttpClientOptions } from '../../src/http-client/http-client.ts';
import { Intake } from '../../src/intake/intake.ts';
import { Metrics } from '../../src/metrics.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { FakeAsa, type FakeAsaOptions } from '../helpers/fake-asa.ts';
import { makeDataDir, startBot, type MemorySink, type RunningBot } from '../helpers/start-bot.ts';

export const silent = pino({ level: 'silent' });

/** the store and intake a poller feeds: a whole bot, or just its core */
export interface Core {
  dataDir: string;
  store: EventStore;
  intake: Intake;
  metrics: Metrics;
  /** cards routed, and the hook URL, when the core is a whole bot */
  sink?: MemorySink;
  url?: string;
  /** resolves once everything stored is routed (a whole bot); at once otherwise */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** a whole bot (`bot`: routing and cards, ~250 ms to start) or only the real store and intake (a few ms) */
export async function startCore(bot: boolean, dataDir?: string): Promise<Core> {
  if (bot) {
    const b: RunningBot = await startBot({}, dataDir);
    return { dataDir: b.dataDir, store: b.bot.store, intake: b.bot.intake, metrics: b.bot.metrics, sink: b.sink, url: b.url, idle: () => b.bot.idle(), stop: () => b.stop() };
  }
  const dir = dataDir ?? (await makeDataDir());
  const store = new LowdbEventStore({ dataDir: dir, retentionDays: 400 });
  await store.open();
  const metrics = new Metrics();
  const intake = new Intake(store, metrics, silent);
  return { dataDir: dir, store, intake, metrics, idle: () => Promise.resolve(), stop: () => store.close() };
}

export interface AsaHarness {
  asa: FakeAsa;
  core: Core;
  poller: AsaPoller;
  /** retry waits the client asked for, in ms (not slept) */
  waits: number[];
  /** a new poller on the same data folder (and bot), as after a restart */
  newPoller(extra?: Partial<AsaPollerOptions>): AsaPoller;
  /** stops the store (and bot) and opens a new one on the same data folder; returns the new poller */
  restart(): Promise<AsaPoller>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  pageSize?: number;
  fake?: FakeAsaOptions;
  http?: Partial<Omit<HttpClientOptions, 'dispatcher'>>;
  poller?: Partial<AsaPollerOptions>;
  cron?: string;
  /** a whole Bot (routing, cards into a MemorySink) instead of store + intake */
  bot?: boolean;
  agent?: AgentTimeouts;
}

export async function asaHarness(o: HarnessOptions = {}): Promise<AsaHarness> {
  const asa = await FakeAsa.start(o.fake);
  let core = await startCore(o.bot ?? false);
  const agent = createHttpAgent({ connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, ...o.agent });
  const waits: number[] = [];
  const http = new HttpClient({
    dispatcher: agent,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...o.http,
  });
  const config = loadConfig({ ...asa.env(), ASA_PAGE_SIZE: String(o.pageSize ?? 5), ASA_POLL_CRON: o.cron ?? '0 0 1 1 *', DATA_DIR: core.dataDir });
  const pollers: AsaPoller[] = [];
  const newPoller = (extra: Partial<AsaPollerOptions> = {}) => {
    const p = new AsaPoller({ asa: config.asa!, intake: core.intake, state: new FileStateStore(core.dataDir), log: silent, metrics: core.metrics, http, runAtStart: false, ...o.poller, ...extra });
    pollers.push(p);
    return p;
  };
  const h: AsaHarness = {
    asa,
    get core() {
      return core;
    },
    poller: newPoller(),
    waits,
    newPoller,
    async restart() {
      for (const p of pollers) await p.stop();
      await core.stop();
      core = await startCore(o.bot ?? false, core.dataDir);
      return newPoller();
    },
    async close() {
      for (const p of pollers) await p.stop();
      await core.stop();
      await rm(core.dataDir, { recursive: true, force: true });
      await agent.close();
      await asa.close();
    },
  };
  return h;
}

/** the `offset` query parameter of each auditsV2 call (null = from the oldest) */
export function offsets(asa: FakeAsa): Array<string | null> {
  return asa.auditQueries.map((q) => q.get('offset'));
}
