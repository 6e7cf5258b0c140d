/** The store contract (event-store-contract.ts) for the embedded lowdb store, each test in a new DATA_DIR. */
import { rm } from 'node:fs/promises';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { makeDataDir } from '../helpers/start-bot.ts';
import { eventStoreContract } from './event-store-contract.ts';

const moduleUrl = new URL('../../src/store/lowdb-event-store.ts', import.meta.url).href;

eventStoreContract('lowdb', async () => {
  const dataDir = await makeDataDir();
  return {
    create: (o) => new LowdbEventStore({ dataDir, retentionDays: o?.retentionDays ?? 400 }),
    childModule: `const { LowdbEventStore } = await import(${JSON.stringify(moduleUrl)});
export const store = new LowdbEventStore({ dataDir: ${JSON.stringify(dataDir)}, retentionDays: 400 });`,
    // at the contract's 3,000 events it loads within open() (its background load has its own tests)
    loadsInBackground: false,
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
});

