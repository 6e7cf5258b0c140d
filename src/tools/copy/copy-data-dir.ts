/**
 * The copy itself (copy-to-postgres.ts is its command line): the lowdb event store opened on DATA_DIR and its
 * records appended to the database (copy-events.ts), then the state documents and journals (copy-state.ts)
 * with their log positions translated. Answers the summary, one line per kind.
 */
import type { Logger } from 'pino';
import { FileStateStore } from '../../store/file-state-store.ts';
import { LowdbEventStore } from '../../store/lowdb-event-store.ts';
import type { Database } from '../../store/postgres/database.ts';
import type { PgStateStore } from '../../store/postgres/pg-state-store.ts';
import { copyEvents, type EventCopy } from './copy-events.ts';
import { copyState } from './copy-state.ts';
import { ProgressLine } from './progress.ts';

export interface CopyDataDirOptions {
  /** held by the caller (holdDataDir): nothing else writes it meanwhile */
  dataDir: string;
  /** migrated */
  db: Database;
  /** the database's StateStore (on `db`) */
  target: PgStateStore;
  retentionDays: number;
  log: Logger;
  /** one line for the user */
  say(line: string): void;
  /** records per transaction (tests make it small) */
  batch?: number;
}

export async function copyDataDir(o: CopyDataDirOptions): Promise<string[]> {
  const started = Date.now();
  const events = await readAndCopyEvents(o);
  const took = `in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  const state = await copyState({ files: new FileStateStore(o.dataDir), target: o.target, positions: events.positions, log: o.log, say: o.say });
  const eventLine =
    events.copied === 0 && events.already === 0
      ? 'events: none in DATA_DIR'
      : events.copied === 0
        ? `events: all ${events.already} already copied (checked ${took})`
        : `events: ${events.copied} copied${events.already > 0 ? `, ${events.already} already in the database` : ''} (${took})`;
  return [eventLine, ...state];
}

async function readAndCopyEvents(o: CopyDataDirOptions): Promise<EventCopy> {
  // opening writes a checkpoint and an id snapshot like a bot start does; the events themselves are only read
  const store = new LowdbEventStore({
    dataDir: o.dataDir,
    retentionDays: o.retentionDays,
    onBackgroundError: (err) => o.log.error({ err }, 'writing the event store files failed'),
    onDamagedLog: (d) => o.log.error(d, 'the event log has unreadable lines that are not a torn last commit: the readable ones are copied, the file is set aside'),
  });
  await store.open();
  try {
    await store.whenLoaded();
    const records = store.recordsAfter(0);
    o.say(`copying ${records.length} events from ${o.dataDir}`);
    const progress = new ProgressLine(o.say, 'events');
    return await copyEvents(records, o.db.pool, { batch: o.batch, onBatch: (done, total) => progress.update(done, total) });
  } finally {
    await store.close();
  }
}
