/**
 * The tasks on disk: DATA_DIR/state/manual-tasks.json. Each task keeps the remediation record that opened
 * it, so its card can be rebuilt after every press (and after a restart). Open and claimed tasks are never
 * dropped; done tasks go after `retentionDays`, which keeps the whole-file rewrites of lowdb small. What the
 * background checks in Okta found and still owe (a diagnosis to retry, a drift check due) is kept with each
 * task, so a restart picks up exactly where the last process stopped.
 */
import type { RemediationRecord } from '../domain/records.ts';
import type { StateDoc, StateStore } from '../store/state-store.ts';
import type { Diagnosis, DiagnosisRetry, DriftState } from './check-state.ts';
import type { ManualTask } from './task.ts';

export interface StoredTask {
  task: ManualTask;
  record: RemediationRecord;
  /** why Okta skipped it, as the latest check in Okta found (check-state.ts) */
  diagnosis?: Diagnosis;
  /** the background diagnosis could not tell yet: when to try again */
  diagnosisRetry?: DiagnosisRetry;
  /** a done task's checks again after VERIFY_AFTER */
  drift?: DriftState;
}

interface TaskDoc {
  tasks: Record<string, StoredTask>;
}

const DAY_MS = 86_400_000;

export class TaskFile {
  private constructor(private readonly file: StateDoc<TaskDoc>) {}

  static async open(state: StateStore): Promise<TaskFile> {
    return new TaskFile(await state.doc<TaskDoc>('manual-tasks', { tasks: {} }).open());
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

  /**
   * Changes one task as it stands in the store now, not as this process last saw it: with replicas on
   * PostgreSQL a press on another replica may have changed it a moment ago (the document's change runs on
   * the newest version under its row lock). `change` returns the new entry, or undefined to leave it; it
   * is not called for an unknown id. Resolves with the stored entry after the change.
   */
  async change(id: string, change: (entry: StoredTask) => StoredTask | undefined): Promise<StoredTask | undefined> {
    await this.file.update((d) => {
      const entry = Object.hasOwn(d.tasks, id) ? d.tasks[id] : undefined;
      const next = entry && change(entry);
      if (next) d.tasks[id] = next;
    });
    return this.get(id);
  }

  /** forgets done tasks finished more than `retentionDays` ago; returns how many */
  async prune(retentionDays: number, now: number): Promise<number> {
    const cutoff = now - retentionDays * DAY_MS;
    const old = this.all().filter((e) => e.task.state === 'done' && Date.parse(e.task.updatedAt) < cutoff);
    if (old.length > 0) await this.file.update((d) => { for (const e of old) delete d.tasks[e.task.id]; });
    return old.length;
  }
}
