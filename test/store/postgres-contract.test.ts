/**
 * The store contract (event-store-contract.ts) for the PostgreSQL store, each test on a new database of
 * the test server (test/helpers/postgres.ts). Pages of 500 rows, so the start-up load of the contract's
 * 3,000 events runs in several steps while appends come in.
 */
import pino from 'pino';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { eventStoreContract } from './event-store-contract.ts';

const moduleUrl = new URL('../../src/store/postgres/postgres-event-store.ts', import.meta.url).href;
const pinoUrl = import.meta.resolve('pino');
const log = pino({ level: 'silent' });

describePg('PostgreSQL event store', () => {
  eventStoreContract('PostgreSQL', async () => {
    const db = await freshDatabase();
    return {
      create: (o) => new PostgresEventStore({ url: db.url, log, retentionDays: o?.retentionDays ?? 400, pageRows: 500 }),
      childModule: `const { PostgresEventStore } = await import(${JSON.stringify(moduleUrl)});
const { default: pino } = await import(${JSON.stringify(pinoUrl)});
export const store = new PostgresEventStore({ url: ${JSON.stringify(db.url)}, log: pino({ level: 'silent' }), retentionDays: 400 });`,
      loadsInBackground: true,
      remove: () => db.drop(),
    };
  });
});
