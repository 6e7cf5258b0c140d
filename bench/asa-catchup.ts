import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Bot } from '../src/app.ts';
import { AsaPoller } from '../src/asa/asa-poller.ts';
import { loadConfig } from '../src/config/config.ts';
import { createHttpAgent } from '../src/http-client/agent.ts';
import { HttpClient } from '../src/http-client/http-client.ts';
import { FakeAsa } from '../test/helpers/fake-asa.ts';
import { round } from './stats.ts';

/**
 * ASA catch-up (SPEC §8: 100k events behind a local fake server in < 20 s; Okta Workflows needed 3–4
 * minutes per 500). A real Bot (store, intake, routing; no chat sinks) and the real poller with pages of
 * 1000, the API's maximum, against the test fake on 127.0.0.1. Timed from the first call until every
 * event is stored and routed. Run alone: `npx tsx bench/asa-catchup.ts [events]` prints one JSON line.
 */
export async function benchAsaCatchup(events = 100_000): Promise<{ events: number; seconds: number; pages: number }> {
  const asa = await FakeAsa.start();
  asa.addEvents(events);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-asa-'));
  const log = pino({ level: 'silent' });
  const asaConfig = loadConfig(asa.env({ ASA_PAGE_SIZE: '1000' })).asa!;
  // the Bot itself without ASA settings, so that only the poller timed here runs
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', OKTA_HOOK_SECRET: 'bench-asa-catchup-secret-0123456789' });
  const bot = new Bot({ config, hookSecret: config.hook.secret!, log, sinks: [] });
  const agent = createHttpAgent();
  try {
    await bot.start();
    const http = new HttpClient({ dispatcher: agent, log });
    const poller = new AsaPoller({ asa: asaConfig, intake: bot.intake, state: bot.state, log, metrics: bot.metrics, http, runAtStart: false });
    const started = performance.now();
    let pages = 0;
    for (;;) {
      // one run catches up completely; the loop only guards against a run cut short
      const run = await poller.runOnce('manual');
      pages += run.pages;
      if (run.error) throw new Error(`the catch-up run failed: ${run.error}`);
      if (run.caughtUp) break;
    }
    await bot.idle();
    const seconds = round((performance.now() - started) / 1000, 2);
    const stored = bot.store.stats().events;
    if (stored !== events) throw new Error(`caught up with ${stored} events stored, expected ${events}`);
    return { events, seconds, pages };
  } finally {
    await bot.stop();
    await agent.close();
    await asa.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchAsaCatchup(Number(process.argv[2] ?? 100_000))));
}
