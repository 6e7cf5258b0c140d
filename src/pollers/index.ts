/**
 * The pollers, assembled for main.ts: the ASA audit poller when ASA_* is set (SPEC §6), the System Log
 * backfill when the Okta API is configured (SPEC §3), reading Okta Privileged Access `pam.*` audit events too when
 * OKTA_SYSTEM_LOG_PAM=1 (SPEC §9). Both share one undici Agent and feed
 * the same intake as the hook. They write DATA_DIR (checkpoints, run logs) under the bot's DATA_DIR lock,
 * taken in Bot.start() (store/data-dir-lock.ts), so `npm run asa` cannot poll into the same folder.
 */
import type { StateStore } from '../store/state-store.ts';
import type { Logger } from 'pino';
import { AsaPoller, type AsaPollerStatus } from '../asa/asa-poller.ts';
import type { Config } from '../config/config.ts';
import { createHttpAgent, type AgentTimeouts } from '../http-client/agent.ts';
import { HttpClient, type HttpClientOptions } from '../http-client/http-client.ts';
import type { Intake } from '../intake/intake.ts';
import type { Metrics } from '../metrics.ts';
import type { OktaConnection } from '../okta/okta-auth.ts';
import { SystemLogBackfill, type BackfillStatus } from '../okta/system-log-backfill.ts';

export interface PollerDeps {
  config: Config;
  intake: Intake;
  /** where checkpoints and run logs are kept */
  state: StateStore;
  log: Logger;
  metrics: Metrics;
  /** the Okta API connection: the System Log backfill runs when it is given */
  okta?: OktaConnection;
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
  const { config, intake, state, metrics } = deps;
  const { timeouts, ...retries } = deps.http ?? {};
  const agent = createHttpAgent(timeouts);
  const http = new HttpClient({ ...retries, dispatcher: agent, log: deps.log.child({ component: 'http-client' }) });
  const asa = config.asa ? new AsaPoller({ asa: config.asa, intake, state, metrics, http, log: deps.log.child({ poller: 'asa' }) }) : undefined;
  const systemLog = deps.okta
    ? new SystemLogBackfill({ okta: deps.okta, intake, state, metrics, http, pam: config.systemLogPam, log: deps.log.child({ poller: 'system_log' }) })
    : undefined;
  return {
    ...(asa ? { asa } : {}),
    ...(systemLog ? { systemLog } : {}),
    async start() {
      await asa?.start();
      await systemLog?.start();
    },
    async stop() {
      await Promise.all([asa?.stop(), systemLog?.stop()]);
      await agent.close();
    },
    status() {
      return { ...(asa ? { asa: asa.status() } : {}), ...(systemLog ? { systemLog: systemLog.status() } : {}) };
    },
  };
}
