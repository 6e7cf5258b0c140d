/**
 * Where the bot's own state lives (state-store.ts): in PostgreSQL with the events when DATABASE_URL is set,
 * so that replicas without a disk share it; otherwise in files under DATA_DIR/state.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { createLogger } from '../logger.ts';
import { FileStateStore } from './file-state-store.ts';
import type { Database } from './postgres/database.ts';
import { PgStateStore } from './postgres/pg-state-store.ts';
import type { StateStore } from './state-store.ts';

export interface StateStoreHooks {
  log?: Logger;
  /** the process's PostgreSQL pool, when it shares one between its PostgreSQL parts (else the store opens its own) */
  database?: Database;
}

/** answers at once: a PostgreSQL store connects on its first use (its documents and journals wait for it) */
export function createStateStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>, hooks: StateStoreHooks = {}): StateStore {
  if (config.databaseUrl !== undefined) {
    return new PgStateStore({
      url: config.databaseUrl,
      ...(hooks.database ? { database: hooks.database } : {}),
      log: hooks.log ?? createLogger('info').child({ component: 'state' }),
    });
  }
  return new FileStateStore(config.dataDir);
}
