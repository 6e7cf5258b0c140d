/**
 * Poller metrics beside Metrics.pollRuns (src/metrics.ts counts runs by result): when each poller last
 * finished a run without error, so an alert can fire when ASA capture or the backfill goes stale.
 * Registered once per registry (several pollers, or a poller made again, share it).
 */
import { Gauge } from 'prom-client';
import type { Metrics } from '../metrics.ts';

const LAST_SUCCESS = 'oig_poll_last_success_timestamp_seconds';

export function lastSuccessGauge(metrics: Metrics): Gauge<'poller'> {
  const existing = metrics.registry.getSingleMetric(LAST_SUCCESS);
  if (existing) return existing as Gauge<'poller'>;
  return new Gauge({ name: LAST_SUCCESS, help: 'when a poller last finished a run without error (unix seconds)', labelNames: ['poller'], registers: [metrics.registry] });
}
