import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Source } from '../domain/records.ts';
import { AppError } from '../errors.ts';
import type { ParseOutcome } from './parse-delivery.ts';
import type { Job, JobResult } from './normalize-worker.ts';

const BOOT = new URL('./normalize-worker-boot.mjs', import.meta.url);

interface Pending {
  resolve: (o: ParseOutcome) => void;
  reject: (e: unknown) => void;
}

/** One worker thread and the jobs it has not answered yet. */
class PoolWorker {
  readonly pending = new Map<number, Pending>();
  /** set by its first answer: a worker that dies before that cannot start at all and is not restarted */
  answered = false;
  // no inherited Node flags: some are refused in workers (--expose-gc, --input-type), and the boot file
  // loads TypeScript support itself
  readonly worker = new Worker(BOOT, { execArgv: [] });
}

/** restarts allowed per minute before the pool gives up (a worker that crashes in a loop helps nobody) */
const MAX_RESTARTS_PER_MINUTE = 5;

/**
 * Parses and normalizes hook deliveries in worker threads. JSON parsing and normalization are most of
 * the CPU a delivery costs; done here, they leave the main event loop to the store, the indexes and the
 * chat adapters, and use the second core (SPEC §8 intake target). A crashed worker fails only its own
 * jobs (503, so Okta retries) and is replaced.
 */
export class NormalizePool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private closing = false;
  private restarts: number[] = [];

  private booting: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1)),
  ) {}

  /** starts the workers and checks each answers, so a broken install fails at start, not at Okta's first delivery */
  /** boots the workers once; a second call waits for the same boot (main.ts starts it before the rest) */
  start(): Promise<void> {
    return (this.booting ??= this.boot());
  }

  private async boot(): Promise<void> {
    for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
    const probe = new TextEncoder().encode('{"data":{"events":[]}}');
    await Promise.all(this.workers.map((w) => this.run(w, probe, 'hook')));
  }

  parse(body: Uint8Array, source: Source): Promise<ParseOutcome> {
    if (this.closing || this.workers.length === 0) {
      return Promise.reject(new AppError('NORMALIZER_STOPPED', 'the bot is stopping', 503));
    }
    // the least busy worker
    const worker = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return this.run(worker, body, source);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  private run(w: PoolWorker, body: Uint8Array, source: Source): Promise<ParseOutcome> {
    const id = this.nextId++;
    return new Promise<ParseOutcome>((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      const job: Job = { id, body, source };
      w.worker.postMessage(job);
    });
  }

  private spawn(): PoolWorker {
    const w = new PoolWorker();
    w.worker.on('message', (reply: JobResult) => {
      w.answered = true;
      const p = w.pending.get(reply.id);
      if (!p) return;
      w.pending.delete(reply.id);
      if ('crash' in reply) {
        this.log.error({ error: reply.crash }, 'normalizing a delivery failed');
        p.reject(new AppError('NORMALIZER_FAILED', 'the delivery could not be processed', 500));
      } else p.resolve(reply.outcome);
    });
    w.worker.on('error', (err) => this.log.error({ err }, 'a normalizer worker crashed'));
    w.worker.on('exit', (code) => {
      const error = w.answered
        ? new AppError('NORMALIZER_CRASHED', 'the delivery could not be processed, try again', 503)
        : new AppError('NORMALIZER_NOT_STARTED', `the normalizer worker could not start (exit code ${code}); see the error logged before`, 503);
      for (const p of w.pending.values()) p.reject(error);
      w.pending.clear();
      const i = this.workers.indexOf(w);
      if (i < 0 || this.closing) return;
      const now = Date.now();
      this.restarts = this.restarts.filter((t) => now - t < 60_000);
      if (!w.answered || this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
        this.workers.splice(i, 1);
        this.log.error({ code, workersLeft: this.workers.length }, 'a normalizer worker stopped and is not restarted; deliveries get 503 until the bot restarts if none is left');
        return;
      }
      this.restarts.push(now);
      this.log.warn({ code }, 'a normalizer worker stopped; starting a new one');
      this.workers[i] = this.spawn();
    });
    return w;
  }
}
