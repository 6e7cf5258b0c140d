import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { ExecutionLog } from './execution-log.ts';
import { lastSuccessGauge } from './poll-metrics.ts';
import { PollSchedule } from './poll-schedule.ts';
import type { RunTrigger } from './run-entry.ts';

/** What every execution log entry has. */
export interface RunEntryBase {
  poller: 'asa' | 'system_log';
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  error?: string;
}

export interface ScheduledPollerOptions<E extends RunEntryBase> {
  name: E['poller'];
  cron: string;
  log: Logger;
  metrics: Metrics;
  runs: ExecutionLog<E>;
  /** one line for the log, from an entry */
  line: (entry: E) => string;
  /** run once when started (default true): catch up after downtime without waiting for the first tick */
  runAtStart?: boolean;
  now: () => number;
}

/**
 * What the ASA poller and the System Log backfill share: a node-cron schedule whose runs never overlap
 * (a manual run during a run joins it), state opened once (and retried after a failure), and the same
 * bookkeeping after each run — execution log entry, poll_runs metric, last-success gauge, one log line.
 * A subclass says how to open its state, how to start an entry, and what one run does.
 */
export abstract class ScheduledPoller<E extends RunEntryBase> {
  protected readonly schedule: PollSchedule;
  private opened: Promise<void> | undefined;
  private current: Promise<E> | undefined;

  constructor(protected readonly p: ScheduledPollerOptions<E>) {
    this.schedule = new PollSchedule(p.name, p.cron, () => this.runOnce('cron'), p.log);
  }

  /** reads the poller's state files (start and every run call it) */
  open(): Promise<void> {
    this.opened ??= this.openState().catch((err: unknown) => {
      this.opened = undefined; // try again next run (a full disk, a permission fixed meanwhile)
      throw err;
    });
    return this.opened;
  }

  async start(): Promise<void> {
    await this.open();
    this.schedule.start();
    if (this.p.runAtStart !== false) void this.runOnce('start');
  }

  /** stops the schedule and waits for a run in progress */
  async stop(): Promise<void> {
    await this.schedule.stop();
    await this.current;
  }

  /** one run now; joins the run in progress instead of starting a second one. Never rejects. */
  runOnce(trigger: RunTrigger = 'manual'): Promise<E> {
    this.current ??= this.run(trigger).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  protected get running(): boolean {
    return this.current !== undefined;
  }

  /** waits for the run in progress, if any */
  protected async idle(): Promise<void> {
    await this.current;
  }

  protected abstract openState(): Promise<void>;
  protected abstract newEntry(trigger: RunTrigger, startedAt: string): E;
  /** one run's work; adds to `entry` as it goes, so a failure still reports what was done */
  protected abstract work(entry: E, started: number): Promise<void>;
  /** last touches to the entry after the work, failed or not */
  protected finish(_entry: E): void {}

  private async run(trigger: RunTrigger): Promise<E> {
    const { now, log, metrics, name } = this.p;
    const started = now();
    const entry = this.newEntry(trigger, new Date(started).toISOString());
    try {
      await this.open();
      await this.work(entry, started);
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
    }
    entry.durationMs = now() - started;
    this.finish(entry);
    try {
      await this.p.runs.append(entry);
    } catch (err) {
      log.error({ err }, `could not write the ${name} execution log`);
    }
    metrics.pollRuns.inc({ poller: name, result: entry.error ? 'error' : 'ok' });
    if (!entry.error) lastSuccessGauge(metrics).set({ poller: name }, Math.round(now() / 1000));
    if (entry.error) log.warn({ run: entry }, this.p.line(entry));
    else log.info({ run: entry }, this.p.line(entry));
    return entry;
  }
}
