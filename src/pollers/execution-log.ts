/**
 * The execution log of a poller: one entry per run (pages, events read, stored, duplicates skipped,
 * duration, error; SPEC §6), kept in a StateFile so `/oig stats` and `npm run asa -- status` can show the
 * last runs after a restart. Bounded: lowdb rewrites the whole file on every change (SPEC §7).
 */
import type { StateDoc, StateStore } from '../store/state-store.ts';

export class ExecutionLog<E extends object> {
  private readonly file: StateDoc<{ runs: E[] }>;

  constructor(
    state: StateStore,
    name: string,
    private readonly keep = 200,
  ) {
    this.file = state.doc<{ runs: E[] }>(name, { runs: [] });
  }

  async open(): Promise<this> {
    await this.file.open();
    return this;
  }

  /** durable before it resolves; drops the oldest entries past `keep` */
  append(entry: E): Promise<void> {
    return this.file.update((d) => {
      d.runs.push(entry);
      if (d.runs.length > this.keep) d.runs.splice(0, d.runs.length - this.keep);
    });
  }

  /** the last `n` entries, oldest first */
  recent(n = 10): readonly E[] {
    return this.file.data.runs.slice(-n);
  }

  get last(): E | undefined {
    return this.file.data.runs.at(-1);
  }
}
