/**
 * The tasks on disk: DATA_DIR/state/manual-tasks.json. Each task keeps the remediation record that opened
 * it, so its card can be rebuilt after every press (and after a restart). Open and claimed tasks are never
 * dropped; done tasks go after `retentionDays`, which keeps the whole-file rewrites of lowdb small.
 */
import type { RemediationRecord } from '../domain/records.ts';
import { StateFile } from '../store/state-file.ts';
import type { ManualTask } from './task.ts';

export interface StoredTask {
  task: ManualTask;
  record: RemediationRecord;
}

interface TaskDoc {
  tasks: Record<string, StoredTask>;
}

const DAY_MS = 86_400_000;

export class TaskFile {
  private constructor(private readonly file: StateFile<TaskDoc>) {}

  static async open(dataDir: string): Promise<TaskFile> {
    return new TaskFile(await new StateFile<TaskDoc>(dataDir, 'manual-tasks', { tasks: {} }).open());
  }

  get(id: string): StoredTask | undefined {
    // ids come from button values: never let "__proto__" or "constructor" reach an object lookup
    return Object.hasOwn(this.file.data.tasks, id) ? this.file.data.tasks[id] : undefined;
  }

  all(): StoredTask[] {
    return Object.values(this.file.data.tasks);
  }

  put(entry: StoredTask): Promise<void> {
    return this.putAll([entry]);
  }

  /** several tasks in one write (the whole file is rewritten per write: never one write each for many) */
  putAll(entries: readonly StoredTask[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.file.update((d) => {
      for (const entry of entries) d.tasks[entry.task.id] = entry;
    });
  }

  /** forgets done tasks finished more than `retentionDays` ago; returns how many */
  async prune(retentionDays: number, now: number): Promise<number> {
    const cutoff = now - retentionDays * DAY_MS;
    const old = this.all().filter((e) => e.task.state === 'done' && Date.parse(e.task.updatedAt) < cutoff);
    if (old.length > 0) await this.file.update((d) => { for (const e of old) delete d.tasks[e.task.id]; });
    return old.length;
  }
}
