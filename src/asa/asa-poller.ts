/**
 * The ASA audit poller (SPEC §6): on the ASA_POLL_CRON schedule (and once at start) it runs the page loop
 * of asa-catch-up.ts, which hands resolved events to the intake, the path every event takes (stored once,
 * notable ones carded). Runs never overlap; each writes one execution log entry and one log line. A failed
 * run leaves the checkpoint where the last stored page put it; the next run goes on from there.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { HttpClient } from '../http-client/http-client.ts';
import type { Intake } from '../intake/intake.ts';
import type { Metrics } from '../metrics.ts';
import type { StateDoc, StateStore } from '../store/state-store.ts';
import { catchUp } from './asa-catch-up.ts';
import { AsaClient } from './asa-client.ts';
import { ASA_RUNS_FILE, asaCheckpointFile, resetCheckpoint, type AsaCheckpoint } from './asa-checkpoint.ts';
import { AsaTokenSource } from './asa-token.ts';
import { ExecutionLog } from '../pollers/execution-log.ts';
import { DEFAULT_NOTABLE_ASA_TYPES } from './notable-types.ts';
import { ScheduledPoller } from '../pollers/scheduled-poller.ts';
import { asaRunLine, type AsaRunEntry, type RunTrigger } from '../pollers/run-entry.ts';

export interface AsaPollerOptions {
  asa: NonNullable<Config['asa']>;
  intake: Pick<Intake, 'receiveRecords'>;
  /** where the checkpoint and the run log are kept */
  state: StateStore;
  log: Logger;
  metrics: Metrics;
  http: HttpClient;
  /** default DEFAULT_NOTABLE_ASA_TYPES */
  notableTypes?: readonly string[];
  /** run once when started (default true): catch up after downtime without waiting for the first tick */
  runAtStart?: boolean;
  now?: () => number;
}

export interface AsaPollerStatus {
  running: boolean;
  checkpoint: AsaCheckpoint;
  lastRun?: AsaRunEntry;
  recentRuns: readonly AsaRunEntry[];
  /** cron ticks that started a run, and ticks skipped because the previous run was still going */
  scheduledRuns: number;
  skippedTicks: number;
  nextRun?: string;
  tokenExchanges: number;
}

export class AsaPoller extends ScheduledPoller<AsaRunEntry> {
  private readonly checkpoint: StateDoc<AsaCheckpoint>;
  private readonly runs: ExecutionLog<AsaRunEntry>;
  private readonly tokens: AsaTokenSource;
  private readonly client: AsaClient;
  private readonly notable: ReadonlySet<string>;
  private readonly now: () => number;

  constructor(private readonly o: AsaPollerOptions) {
    const now = o.now ?? Date.now;
    const runs = new ExecutionLog<AsaRunEntry>(o.state, ASA_RUNS_FILE);
    super({ name: 'asa', cron: o.asa.pollCron, log: o.log, metrics: o.metrics, runs, line: asaRunLine, runAtStart: o.runAtStart !== false, now });
    this.now = now;
    this.runs = runs;
    this.checkpoint = asaCheckpointFile(o.state);
    const creds = { baseUrl: o.asa.baseUrl, team: o.asa.team, keyId: o.asa.keyId, keySecret: o.asa.keySecret };
    this.tokens = new AsaTokenSource(o.http, creds, now);
    this.client = new AsaClient(o.http, this.tokens, creds);
    this.notable = new Set(o.notableTypes ?? DEFAULT_NOTABLE_ASA_TYPES);
  }

  /** capture starts over from the oldest event ASA keeps; stored events are not stored again */
  async reset(): Promise<void> {
    await this.open();
    await this.idle();
    await this.checkpoint.update(resetCheckpoint);
  }

  status(): AsaPollerStatus {
    const next = this.schedule.nextRun();
    const last = this.runs.last;
    return {
      running: this.running,
      checkpoint: { ...this.checkpoint.data },
      ...(last ? { lastRun: last } : {}),
      recentRuns: this.runs.recent(10),
      scheduledRuns: this.schedule.scheduledRuns,
      skippedTicks: this.schedule.skippedTicks,
      ...(next ? { nextRun: next.toISOString() } : {}),
      tokenExchanges: this.tokens.exchanges,
    };
  }

  /** the checkpoint and the execution log; a checkpoint of another team or host starts over */
  protected async openState(): Promise<void> {
    await this.checkpoint.open();
    await this.runs.open();
    const cp = this.checkpoint.data;
    if (cp.team !== undefined && (cp.team !== this.o.asa.team || cp.baseUrl !== this.o.asa.baseUrl)) {
      this.o.log.warn({ was: { team: cp.team, baseUrl: cp.baseUrl }, now: { team: this.o.asa.team, baseUrl: this.o.asa.baseUrl } }, 'ASA team or host changed: capture starts over from the oldest event');
      await this.checkpoint.update(resetCheckpoint);
    }
  }

  protected newEntry(trigger: RunTrigger, startedAt: string): AsaRunEntry {
    return { poller: 'asa', trigger, startedAt, durationMs: 0, pages: 0, read: 0, stored: 0, duplicates: 0, caughtUp: false };
  }

  protected async work(entry: AsaRunEntry): Promise<void> {
    const { asa } = this.o;
    const deps = { client: this.client, intake: this.o.intake, checkpoint: this.checkpoint, notable: this.notable, log: this.o.log, now: this.now };
    await catchUp({ ...deps, pageSize: asa.pageSize, team: asa.team, baseUrl: asa.baseUrl }, entry);
  }

  protected override finish(entry: AsaRunEntry): void {
    const offset = this.checkpoint.data.offset;
    if (offset !== undefined) entry.offset = offset;
  }
}
