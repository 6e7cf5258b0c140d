/**
 * The pollers, assembled for main.ts: the ASA audit poller when ASA_* is set (SPEC §6), the System Log
 * backfill when OKTA_ORG_URL and OKTA_API_TOKEN are set (SPEC §3). Both share one undici Agent and feed
 * the same intake as the hook. `start()` also marks DATA_DIR as in use by the bot, so `npm run asa` does
 * not poll into a store this process holds in memory (data-dir-lock.ts).
 */
import type { Logger } from 'pino';
import { AsaPoller, type AsaPollerStatus } from '../asa/asa-poller.ts';
import { DataDirLock } from './data-dir-lock.ts';
import type { Config } from '../config/config.ts';
import { createHttpAgent, type AgentTimeouts } from '../http-client/agent.ts';
import { HttpClient, type HttpClientOptions } from '../http-client/http-client.ts';
import type { Intake } from '../intake/intake.ts';
import type { Metrics } from '../metrics.ts';
import { SystemLogBackfill, type BackfillStatus } from '../okta/system-log-backfill.ts';

export interface PollerDeps {
  config: Config;
  intake: Intake;
  dataDir: string;
  log: Logger;
  metrics: Metrics;
  /** retry and size settings, agent timeouts (tests shorten them) */
  http?: Omit<HttpClientOptions, 'dispatcher' | 'log'> & { timeouts?: AgentTimeouts };
}

export interface PollersStatus {
  asa?: AsaPollerStatus;
  systemLog?: BackfillStatus;
}

export interface Pollers {
  readonly asa?: AsaPoller;
  readonly systemLog?: SystemLogBackfill;
  /** schedules both and runs each once now (in the background) */
  start(): Promise<void>;
  /** stops the schedules, waits for runs in progress, closes connections */
  stop(): Promise<void>;
  /** for /oig stats: last runs, checkpoint, next run */
  status(): PollersStatus;
}

export function createPollers(deps: PollerDeps): Pollers {
  const { config, intake, dataDir, metrics } = deps;
  const { timeouts, ...retries } = deps.http ?? {};
  const agent = createHttpAgent(timeouts);
  const http = new HttpClient({ ...retries, dispatcher: agent, log: deps.log.child({ component: 'http-client' }) });
  const asa = config.asa ? new AsaPoller({ asa: config.asa, intake, dataDir, metrics, http, log: deps.log.child({ poller: 'asa' }) }) : undefined;
  const systemLog = config.okta
    ? new SystemLogBackfill({ okta: config.okta, intake, dataDir, metrics, http, log: deps.log.child({ poller: 'system_log' }) })
    : undefined;
  const lock = new DataDirLock(dataDir);
  return {
    ...(asa ? { asa } : {}),
    ...(systemLog ? { systemLog } : {}),
    async start() {
      const { other } = await lock.acquire('bot', false);
      if (other) deps.log.warn({ pid: other.pid, holder: other.holder }, 'another process was polling with this DATA_DIR (an `npm run asa` command?)');
      await asa?.start();
      await systemLog?.start();
    },
    async stop() {
      await Promise.all([asa?.stop(), systemLog?.stop()]);
      await agent.close();
      await lock.release();
    },
    status() {
      return { ...(asa ? { asa: asa.status() } : {}), ...(systemLog ? { systemLog: systemLog.status() } : {}) };
    },
  };
}
