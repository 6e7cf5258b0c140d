/**
 * What `/oig` reads when no bot answers (issue 14 §1): the stores opened by the CLI itself.
 *
 *  - DATA_DIR (lowdb): under the DATA_DIR lock as a 'cli' holder, like `npm run asa`, because opening the
 *    store replays its write-ahead log and may compact it: the bot cannot start meanwhile (it says who holds
 *    the folder) and this process cannot open it while the bot runs (then the CLI asks the bot instead).
 *  - DATABASE_URL: the database directly, beside running replicas and without any lock; nothing is written
 *    but what opening the event store itself does (its schema, when missing). Whoever has DATABASE_URL can
 *    read every row anyway.
 *
 * Read-only from here on: the work queue is read through its files (no WorkQueue, which would prune done
 * tasks and could act), the "revoked but still used" index is folded over every stored event, and the
 * pollers' last runs come from their execution logs. Delivery has no status without the bot.
 */
import type { Logger } from 'pino';
import { ASA_RUNS_FILE } from '../../asa/asa-checkpoint.ts';
import type { CommandDeps, PollerLine } from '../../commands/deps.ts';
import type { Config } from '../../config/config.ts';
import { StillUsedIndex } from '../../correlate/still-used-index.ts';
import { AuditFile } from '../../followup/audit-file.ts';
import type { TaskSource } from '../../followup/task.ts';
import { TaskFile } from '../../followup/task-file.ts';
import { ExecutionLog } from '../../pollers/execution-log.ts';
import { createEventStore } from '../../store/create-event-store.ts';
import { createStateStore } from '../../store/create-state-store.ts';
import { holdDataDir, type DataDirLease } from '../../store/data-dir-lock.ts';
import type { StateStore } from '../../store/state-store.ts';

export interface OfflineDeps {
  deps: CommandDeps;
  /** closes the stores and gives DATA_DIR back */
  close(): Promise<void>;
}

type StoreConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'retentionDays' | 'asaUserMap'>;

/** opens the stores of `config`; throws DataDirBusyError when a process holds DATA_DIR */
export async function openOffline(config: StoreConfig, log: Logger): Promise<OfflineDeps> {
  const lease: DataDirLease | undefined = config.databaseUrl === undefined ? await holdDataDir(config.dataDir, 'cli', { command: 'npm run oig' }) : undefined;
  const store = createEventStore(config, log);
  const state = createStateStore(config, { log });
  try {
    await store.open();
    await store.whenLoaded();
    const [tasks, pollers] = await Promise.all([readTasks(state), pollerLines(state)]);
    const stillUsed = new StillUsedIndex(store, config.asaUserMap);
    stillUsed.start(store.lastSeq);
    return {
      deps: { store, tasks, stillUsed, stats: { pollers: () => pollers } },
      async close() {
        await store.close();
        await state.close();
        await lease?.release();
      },
    };
  } catch (err) {
    await store.close().catch(() => undefined);
    await state.close().catch(() => undefined);
    await lease?.release();
    throw err;
  }
}

/** the work queue as /oig reads it, from the stored tasks and presses */
async function readTasks(state: StateStore): Promise<TaskSource> {
  const [tasks, trail] = await Promise.all([TaskFile.open(state), AuditFile.open(state)]);
  return {
    openTasks: () => tasks.all().map((e) => e.task).filter((t) => t.state !== 'done'),
    get: (id) => tasks.get(id)?.task,
    audit: (taskId) => trail.list(taskId),
  };
}

interface RunLike {
  startedAt: string;
  stored?: number;
  error?: string;
}

/** each poller's last run, as its execution log has it (the bot names the next run; a stopped one has none) */
async function pollerLines(state: StateStore): Promise<PollerLine[]> {
  const logs: Array<[name: string, file: string]> = [['ASA audit poller', ASA_RUNS_FILE], ['System Log backfill', 'system-log-runs']];
  const lines: PollerLine[] = [];
  for (const [name, file] of logs) {
    const run = (await new ExecutionLog<RunLike>(state, file).open()).recent(1)[0];
    if (run) lines.push({ name, lastRunAt: run.startedAt, result: run.error ? `error: ${run.error}` : `ok, ${run.stored ?? 0} stored` });
  }
  return lines;
}
