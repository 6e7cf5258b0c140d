import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-json-file.ts';
import type { StateDoc } from './state-store.ts';

/**
 * A small piece of bot state (a poller checkpoint, a delivery outbox, thread references) in its own
 * lowdb file under DATA_DIR/state/. Every change is written durably (temp file, fsync, rename) before
 * `update` resolves, and changes are applied one after another, so a crash leaves either the old or the
 * new state, never half of one.
 *
 * lowdb rewrites the whole file on each change (SPEC §7): keep these documents small and bounded, and
 * put anything that grows with the event volume in the event store instead.
 */
export class StateFile<T extends object> implements StateDoc<T> {
  private readonly db: Low<T>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    readonly name: string,
    defaults: T,
  ) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`state file name must be lower-case letters, digits and dashes: ${name}`);
    this.db = new Low(new DurableJsonFile<T>(path.join(dataDir, 'state', `${name}.json`)), structuredClone(defaults));
  }

  /** reads the file (or keeps the defaults when there is none yet) */
  async open(): Promise<this> {
    await mkdir(path.dirname((this.db.adapter as DurableJsonFile<T>).filename), { recursive: true });
    await this.db.read();
    return this;
  }

  /** the current state; treat it as read-only and change it through `update` */
  get data(): Readonly<T> {
    return this.db.data;
  }

  /**
   * Changes the state with `change` and resolves once the new state is on disk. If the change throws or
   * the write fails, the change is undone in memory too, and the promise rejects.
   */
  update(change: (draft: T) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const before = structuredClone(this.db.data);
      try {
        // a change that throws half-way is undone too: the next write would store its half otherwise
        change(this.db.data);
        await this.db.write();
      } catch (e) {
        this.db.data = before;
        throw e;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
