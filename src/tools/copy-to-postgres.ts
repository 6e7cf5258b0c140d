/**
 * `npm run copy-to-postgres [-- --data-dir DIR]` (issue 13 §3): moves an existing install from DATA_DIR into
 * the PostgreSQL database of DATABASE_URL: the events, then the bot's own state (documents and journals,
 * copy/copy-state.ts), with the routing cursor and the outboxes' positions translated to the database's
 * numbering (copy/position-map.ts), so the bot started on PostgreSQL neither posts a card again nor misses
 * one. Run it again at will: what the database holds already is left as it is.
 *
 * It reads the same configuration as the bot (environment and .env) and holds DATA_DIR like `npm run asa`
 * does: the bot keeps its store in memory and must not run on the folder while it is copied.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { environmentWithDotEnv } from '../config/dot-env.ts';
import { createLogger } from '../logger.ts';
import { DataDirBusyError, holdDataDir, holderText, type DataDirLease } from '../store/data-dir-lock.ts';
import { loggableError } from '../store/postgres/connection-error.ts';
import { openDatabase, type Database } from '../store/postgres/database.ts';
import { migrate } from '../store/postgres/migrate.ts';
import { PgStateStore } from '../store/postgres/pg-state-store.ts';
import { copyDataDir } from './copy/copy-data-dir.ts';

const USAGE = `usage: npm run copy-to-postgres [-- --data-dir DIR]

Copies DATA_DIR (or DIR) into the PostgreSQL database of DATABASE_URL: events, manual tasks and their
audit trail, outboxes (cards waiting to be posted), message references, poller checkpoints and run logs,
Teams subscriptions and the routing position. Run it with the bot stopped; running it again copies only
what the database does not hold yet.

Uses DATABASE_URL and DATA_DIR like the bot (environment, then .env in this folder).

exit codes: 0 done, 1 the copy failed, 2 usage or configuration error, 3 the bot is running on DATA_DIR`;

const EXIT = { ok: 0, failed: 1, usage: 2, busy: 3 } as const;

async function copyToPostgres(argv: string[]): Promise<number> {
  let values: { 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const config = loadConfig(environmentWithDotEnv());
  const dataDir = values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : config.dataDir;
  if (config.databaseUrl === undefined) {
    console.error('DATABASE_URL is not set: set it to the database to copy into (postgres://user:password@host:5432/database), in the environment or .env');
    return EXIT.usage;
  }
  if (!existsSync(dataDir)) {
    console.error(`DATA_DIR ${dataDir} does not exist: nothing to copy (set DATA_DIR or pass --data-dir to the bot's data folder)`);
    return EXIT.usage;
  }

  let lease: DataDirLease;
  try {
    lease = await holdDataDir(dataDir, 'cli', { command: 'npm run copy-to-postgres' });
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err;
    console.error(busyText(dataDir, err));
    return EXIT.busy;
  }
  // the driver's and the migrations' own lines only when something goes wrong: this command prints its own
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  let db: Database | undefined;
  try {
    db = await openDatabase(config.databaseUrl, { log, max: 3, applicationName: 'oig-chatops copy-to-postgres' });
    await migrate(db, { log });
    // nothing else should write the database's state during a copy: no LISTEN connection, the poll is enough
    const target = new PgStateStore({ database: db, log, listen: false });
    let summary: string[];
    try {
      summary = await copyDataDir({ dataDir, db, target, retentionDays: config.retentionDays, log, say: (line) => console.log(line) });
    } finally {
      await target.close();
    }
    for (const line of summary) console.log(line);
    console.log(
      `done. Start the bot with DATABASE_URL set (the same database); keep ${dataDir} as it is, as a backup, until the bot has run on PostgreSQL ` +
        'and you have checked /oig answers and the queued cards were posted. Do not start the bot on DATA_DIR again: what it stores there would not reach the database.',
    );
    return EXIT.ok;
  } finally {
    await db?.close().catch((err: unknown) => log.warn({ err: loggableError(err) }, 'closing the database connections failed'));
    await lease.release();
  }
}

/** the bot (or another command) works on DATA_DIR now */
function busyText(dataDir: string, err: DataDirBusyError): string {
  const h = err.holder;
  if (h?.holder === 'cli') return `${holderText(h)} is working on DATA_DIR ${dataDir}; wait for it to finish.`;
  const who = h ? `the bot (pid ${h.pid} on host ${h.hostname}, since ${h.startedAt})` : 'the bot';
  return `${who} is running with DATA_DIR ${dataDir}; stop it first: the copy must see everything it stored.`;
}

copyToPostgres(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // AppError messages (connection-error.ts) name the target without the password; a driver's own text may
    // not, so a pg error is reduced to its code and message as the store logs it
    const { code, message } = loggableError(err);
    console.error(`copy-to-postgres failed: ${message}${code && !/^[A-Z_]+$/.test(code) ? ` (${code})` : ''}`);
    process.exit(err instanceof Error && err.name === 'ConfigError' ? EXIT.usage : EXIT.failed);
  },
);
