/** One entry of the ASA execution log (SPEC §6), and the one line an operator reads for it. */

export type RunTrigger = 'start' | 'cron' | 'manual';

export interface AsaRunEntry {
  poller: 'asa';
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  pages: number;
  /** events in the pages read */
  read: number;
  /** newly stored */
  stored: number;
  /** read again and skipped (the re-read last page, or redelivered events) */
  duplicates: number;
  /** the last page was reached */
  caughtUp: boolean;
  /** the checkpoint after the run */
  offset?: string;
  error?: string;
}

export function asaRunLine(e: AsaRunEntry): string {
  const counts = `${e.pages} ${e.pages === 1 ? 'page' : 'pages'}, ${e.read} events read, ${e.stored} stored, ${e.duplicates} duplicates skipped, ${e.durationMs} ms`;
  if (e.error) return `asa poll failed after ${counts}: ${e.error}`;
  return `asa poll: ${counts}, ${e.caughtUp ? 'caught up' : 'not caught up'}`;
}
