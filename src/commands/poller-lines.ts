/** The pollers' status (src/pollers) as the plain lines `/oig stats` shows; main.ts hands it to the StatsSource. */
import type { PollersStatus } from '../pollers/index.ts';
import type { PollerLine } from './deps.ts';

interface RunLike {
  startedAt: string;
  stored?: number;
  error?: string;
}

function line(name: string, s: { lastRun?: RunLike; nextRun?: string; running: boolean }): PollerLine {
  const run = s.lastRun;
  const result = s.running ? 'running now' : run ? (run.error ? `error: ${run.error}` : `ok, ${run.stored ?? 0} stored`) : undefined;
  return { name, ...(run ? { lastRunAt: run.startedAt } : {}), ...(result ? { result } : {}), ...(s.nextRun ? { nextRunAt: s.nextRun } : {}) };
}

export function pollerLines(status: PollersStatus): PollerLine[] {
  const out: PollerLine[] = [];
  if (status.asa) out.push(line('ASA audit poller', status.asa));
  if (status.systemLog) out.push(line('System Log backfill', status.systemLog));
  return out;
}
