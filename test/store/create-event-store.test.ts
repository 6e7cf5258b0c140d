/** DATABASE_URL picks the PostgreSQL store (opened here on a real database); without it, lowdb in DATA_DIR. */
import { rm } from 'node:fs/promises';
import pino from 'pino';
import { expect, it } from 'vitest';
import { createEventStore } from '../../src/store/create-event-store.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.ts';
import { decision } from '../helpers/records.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const log = pino({ level: 'silent' });

it('keeps events in DATA_DIR with lowdb when DATABASE_URL is not set', async () => {
  const dataDir = await makeDataDir();
  const store = createEventStore({ dataDir, retentionDays: 400 }, log);
  expect(store).toBeInstanceOf(LowdbEventStore);
  await store.open();
  await store.append([decision()]);
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describePg('with DATABASE_URL', () => {
  it('keeps events in PostgreSQL', async () => {
    const db = await freshDatabase();
    const store = createEventStore({ databaseUrl: db.url, dataDir: '/nonexistent', retentionDays: 400 }, log);
    expect(store).toBeInstanceOf(PostgresEventStore);
    await store.open();
    expect((await store.append([decision()])).stored[0]?.seq).toBe(1);
    await store.close();
    await db.drop();
  });
});
