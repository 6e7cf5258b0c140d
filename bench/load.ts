import { Pool } from 'undici';
import { percentile, round } from './stats.ts';

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  failures: number;
}

/** POSTs every body once with `concurrency` requests in flight; latency is per request, ack included */
export async function postAll(origin: string, path: string, bodies: readonly string[], headers: Record<string, string>, concurrency: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body });
      await res.body.dump();
      latencies.push(performance.now() - t);
      if (res.statusCode !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    requests: bodies.length,
    seconds: round(seconds, 2),
    perSecond: round(bodies.length / seconds, 0),
    p50ms: round(percentile(latencies, 50), 2),
    p99ms: round(percentile(latencies, 99), 2),
    failures,
  };
}
