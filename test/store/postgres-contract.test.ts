/**
 * The store contract (event-store-contract.ts) for the PostgreSQL store, each test on a new database of
 * the test server (test/helpers/postgres.ts). Pages of 500 rows, so the start-up load of the contract's
 * 3,000 events runs in several steps while appends come in.
 */
import pino from 'pino';
import { expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { decision } from '../helpers/records.ts';
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

  it('commits an append while the start-up load is far from done (it is not queued behind the load)', async () => {
    const db = await freshDatabase();
    const filler = new PostgresEventStore({ url: db.url, log, retentionDays: 36500 });
    await filler.open();
    await filler.append(Array.from({ length: 20_000 }, (_, i) => decision({ id: `old-${i}`, item: `item-${i}` })));
    await filler.close();
    const store = new PostgresEventStore({ url: db.url, log, retentionDays: 36500, pageRows: 200 });
    await store.open();
    const { stored, duplicates } = await store.append([decision({ id: 'new', item: 'new' }), decision({ id: 'old-19999', item: 'item-19999' })]);
    const progress = store.loadProgress();
    expect([stored[0]?.seq, duplicates]).toEqual([20_001, 1]);
    expect(progress!.loaded).toBeLessThan(progress!.total / 2);
    await store.whenLoaded();
    expect(store.get('new')?.seq).toBe(20_001);
    await store.close();
    await db.drop();
  });
});
