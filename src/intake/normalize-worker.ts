import { parentPort } from 'node:worker_threads';
import type { Source } from '../domain/records.ts';
import { parseDelivery, type ParseOutcome } from './parse-delivery.ts';

/** The worker side of normalize-pool.ts: one job at a time, answered with its id. */
export interface Job {
  id: number;
  body: Uint8Array;
  source: Source;
}
export type JobResult = { id: number; outcome: ParseOutcome } | { id: number; crash: string };

parentPort?.on('message', (job: Job) => {
  let reply: JobResult;
  try {
    reply = { id: job.id, outcome: parseDelivery(job.body, job.source) };
  } catch (e) {
    // a bug, not bad input: normalizeEvent itself never throws on odd events
    reply = { id: job.id, crash: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
