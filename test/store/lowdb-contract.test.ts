/**
 * The store contract (event-store-contract.ts) for the embedded lowdb store, each test in a new DATA_DIR:
 * as configured by default (a store this small loads within open()), and with the fast start's
 * background load however few segment files there are (backgroundLoadFrom 0), as a big store opens.
 */
import { rm } from 'node:fs/promises';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { makeDataDir } from '../helpers/start-bot.ts';
import { eventStoreContract, type StorePlaceFactory } from './event-store-contract.ts';

const moduleUrl = new URL('../../src/store/lowdb-event-store.ts', import.meta.url).href;

const lowdb =
  (backgroundLoadFrom?: number): StorePlaceFactory =>
  async () => {
    const dataDir = await makeDataDir();
    const options = { dataDir, retentionDays: 400, backgroundLoadFrom };
    return {
      create: (o) => new LowdbEventStore({ ...options, retentionDays: o?.retentionDays ?? 400 }),
      childModule: `const { LowdbEventStore } = await import(${JSON.stringify(moduleUrl)});
export const store = new LowdbEventStore(${JSON.stringify(options)});`,
      loadsInBackground: backgroundLoadFrom === 0,
      remove: () => rm(dataDir, { recursive: true, force: true }),
    };
  };

eventStoreContract('lowdb', lowdb());
eventStoreContract('lowdb, records loaded after open()', lowdb(0));
