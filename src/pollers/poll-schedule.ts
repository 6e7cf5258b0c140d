/**
 * A poller's node-cron task. `noOverlap: true` (SPEC §6 "runs never overlap"): a tick that comes while
 * the previous run is still going is skipped, counted, and logged. node-cron 4 `createTask` makes a
 * stopped task; `start()` arms it (STACK-NOTES). The timer is unref'd: the HTTP server keeps the bot alive,
 * a schedule alone should not keep a finished test or tool running.
 */
import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export class PollSchedule {
  /** ticks that started a run */
  scheduledRuns = 0;
  /** ticks skipped because a run was still going */
  skippedTicks = 0;
  private task: ScheduledTask | undefined;

  constructor(
    private readonly name: string,
    private readonly cron: string,
    private readonly run: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.task) return;
    const task = createTask(this.cron, async () => this.run(), { name: this.name, noOverlap: true, unref: true, logger: cronLogger(this.log) });
    task.on('execution:started', () => {
      this.scheduledRuns++;
    });
    task.on('execution:overlap', () => {
      this.skippedTicks++;
      this.log.warn({ poller: this.name, skippedTicks: this.skippedTicks }, 'poll tick skipped: the previous run is still going');
    });
    void task.start();
    this.task = task;
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
  }

  nextRun(): Date | undefined {
    return this.task?.getNextRun() ?? undefined;
  }
}

/** node-cron's own messages go to our logger (they would go to the console otherwise) */
function cronLogger(log: Logger): CronLogger {
  return {
    info: (m) => log.debug({ cron: true }, m),
    warn: (m) => log.debug({ cron: true }, m),
    error: (m, err) => log.error({ cron: true, err: err ?? m }, 'cron task error'),
    debug: (m) => log.trace({ cron: true }, String(m)),
  };
}
