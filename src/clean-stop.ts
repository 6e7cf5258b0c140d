/**
 * How the `npm start` process ends on SIGTERM (container runtimes, systemd) and SIGINT (Ctrl-C): a clean
 * stop, then exit 0 — bounded, because a runtime sends SIGKILL 10 s after SIGTERM and an operator pressing
 * Ctrl-C again wants out now.
 */
import type { Logger } from 'pino';

/** the runtime's grace period is 10 s: leave a second to exit and flush the log */
export const STOP_TIMEOUT_MS = 9_000;

/**
 * Under `npm start` one Ctrl-C arrives twice: the terminal signals the whole process group and npm
 * forwards what it got to its child. A repeat this soon after the first is the same keypress.
 */
const SAME_SIGNAL_MS = 500;

export interface CleanStopOptions {
  /** stops everything; resolves when it is safe to exit */
  stop: () => Promise<void>;
  log: Logger;
  timeoutMs?: number;
}

/** installs the SIGTERM/SIGINT handlers */
export function stopOnSignals(o: CleanStopOptions): void {
  const timeoutMs = o.timeoutMs ?? STOP_TIMEOUT_MS;
  let startedAt: number | undefined;

  const begin = (reason: string): void => {
    if (startedAt !== undefined) return;
    startedAt = Date.now();
    o.log.info({ reason }, 'stopping: finishing deliveries and flushing the store');
    // not unref'd: this timer is what ends a stop that hangs on nothing
    const timer = setTimeout(() => {
      o.log.error({ timeoutMs }, `the clean stop did not finish within ${timeoutMs / 1000} s; exiting anyway (acknowledged events are in DATA_DIR/wal and are replayed at the next start)`);
      process.exit(1);
    }, timeoutMs);
    o.stop().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (err: unknown) => {
        o.log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (startedAt === undefined) return begin(signal);
    if (Date.now() - startedAt < SAME_SIGNAL_MS) return;
    o.log.warn({ signal }, `${signal} again while stopping: exiting now without finishing the stop`);
    process.exit(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
