/** One entry of the System Log backfill's execution log, and its log line. */
import type { RunTrigger } from '../pollers/run-entry.ts';

export interface BackfillRunEntry {
  poller: 'system_log';
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  /** the `since` asked for */
  since: string;
  /** one per filter expression (long filters are split) */
  queries: number;
  pages: number;
  read: number;
  stored: number;
  /** already stored (delivered by the hook, or read in an earlier run's overlap) */
  duplicates: number;
  error?: string;
}

export function backfillRunLine(e: BackfillRunEntry): string {
  const counts = `since ${e.since || '-'}, ${e.queries} ${e.queries === 1 ? 'query' : 'queries'}, ${e.pages} pages, ${e.read} events read, ${e.stored} stored, ${e.duplicates} duplicates skipped, ${e.durationMs} ms`;
  return e.error ? `System Log backfill failed (${counts}): ${e.error}` : `System Log backfill: ${counts}`;
}
