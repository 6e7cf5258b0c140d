/** The StateStore contract (state-store-contract.ts) for the default store: files under DATA_DIR/state. */
import { rm } from 'node:fs/promises';
import { FileStateStore } from '../../src/store/file-state-store.ts';
import { makeDataDir } from '../helpers/start-bot.ts';
import { stateStoreContract } from './state-store-contract.ts';

stateStoreContract('files (DATA_DIR/state)', async () => {
  const dir = await makeDataDir();
  return {
    open: () => new FileStateStore(dir),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
});
