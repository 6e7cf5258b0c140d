/**
 * Which event store the bot runs on (SPEC §9): PostgreSQL when DATABASE_URL is set, so that several
 * replicas share one log; otherwise the embedded lowdb store in DATA_DIR, the default that local mode,
 * the demo and existing data folders keep.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { EventStore } from './event-store.ts';
import { LowdbEventStore } from './lowdb-event-store.ts';
import { PostgresEventStore } from './postgres/postgres-event-store.ts';
import type { Database } from './postgres/database.ts';
import type { WriteKind } from './write-health.ts';

export interface EventStoreHooks {
  /** a failed write (the storeWriteFailures metric) */
  onWriteFailure?: (kind: WriteKind) => void;
  /** the process's PostgreSQL pool, when it shares one between its stores (else the store opens its own) */
  database?: Database;
}

/** the bot's PostgreSQL store starts loading its log this long after opening (postgres-store-options.ts) */
const LOAD_DELAY_MS = 500;

export function createEventStore(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'retentionDays'>, log: Logger, hooks: EventStoreHooks = {}): EventStore {
  if (config.databaseUrl !== undefined) {
    return new PostgresEventStore({
      url: config.databaseUrl,
      database: hooks.database,
      log,
      retentionDays: config.retentionDays,
      onWriteFailure: hooks.onWriteFailure,
      loadDelayMs: LOAD_DELAY_MS,
    });
  }
  return new LowdbEventStore({
    dataDir: config.dataDir,
    retentionDays: config.retentionDays,
    onBackgroundError: (err) => log.error({ err }, 'writing the event store files failed; events are safe in the log (DATA_DIR/wal) and the write is retried'),
    onDamagedLog: (d) => log.error(d, 'the event log has unreadable lines that are not a torn last commit: the readable ones are kept, the file is set aside for a look'),
    onWriteFailure: hooks.onWriteFailure,
    onSnapshotUnusable: (why) =>
      log.warn({ why }, 'the stored event ids (DATA_DIR/event-ids.bin) cannot be used for a fast start: every stored event is loaded before deliveries are taken, and the file is written again'),
  });
}
