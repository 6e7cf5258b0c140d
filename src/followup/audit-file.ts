/**
 * The audit trail of button presses (SPEC §5 "every press is stored"): DATA_DIR/state/manual-task-audit.json.
 * lowdb rewrites the whole file on each press, so the trail is bounded: the newest `limit` presses are kept
 * (10 000 by default, about 2 MB), far more than a team presses between two exports.
 */
import type { StateDoc, StateStore } from '../store/state-store.ts';
import type { TaskAudit } from './task.ts';

interface AuditDoc {
  /** oldest first */
  entries: TaskAudit[];
}

export class AuditFile {
  private constructor(
    private readonly file: StateDoc<AuditDoc>,
    private readonly limit: number,
  ) {}

  static async open(state: StateStore, limit = 10_000): Promise<AuditFile> {
    return new AuditFile(await state.doc<AuditDoc>('manual-task-audit', { entries: [] }).open(), limit);
  }

  append(entry: TaskAudit): Promise<void> {
    return this.file.update((d) => {
      d.entries.push(entry);
      if (d.entries.length > this.limit) d.entries.splice(0, d.entries.length - this.limit);
    });
  }

  /** newest first, of one task or all */
  list(taskId?: string): TaskAudit[] {
    const out = taskId === undefined ? [...this.file.data.entries] : this.file.data.entries.filter((e) => e.taskId === taskId);
    return out.reverse();
  }
}
