/**
 * Fills a bench database with `count` generated records (bench/records.ts: 300 days, oldest first) the way
 * `npm run copy-to-postgres` writes them: the schema migrated as a bot's start does, then the log's own
 * append statement (event-log-sql.ts insertNew) in batches on one connection. No store is opened, so the
 * filling process keeps nothing of the log in memory and the rows are exactly what a bot would have written.
 *
 *   npx tsx bench/pg-fill.ts <DATABASE_URL of an empty database> [count] [--routed]   # prints {"fillSeconds"}
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pino from 'pino';
import { openDatabase } from '../src/store/postgres/database.ts';
import { insertNew } from '../src/store/postgres/event-log-sql.ts';
import { batchJson } from '../src/store/postgres/batch-json.ts';
import { migrate } from '../src/store/postgres/migrate.ts';
import { PgStateStore } from '../src/store/postgres/pg-state-store.ts';
import { makeRecords } from './records.ts';
import { admin } from './pg-server.ts';
import { round } from './stats.ts';

/** rows per append statement: a few MB of JSON, well under what one statement handles comfortably */
const BATCH = 5000;

const log = pino({ level: 'warn' });

/**
 * Fills and VACUUM ANALYZEs (a restored or long-running database has statistics too); resolves with the
 * seconds taken. `routed`: the routing cursor is set past the last event, as a bot that ran on this log and
 * routed it leaves it (a restart then routes nothing old); otherwise the next bot to lead routes them all.
 */
export async function fillEvents(url: string, count: number, o: { routed?: boolean } = {}): Promise<number> {
  const started = performance.now();
  const db = await openDatabase(url, { log, max: 1, applicationName: 'oig-chatops-bench-fill' });
  try {
    await migrate(db);
    const client = await db.pool.connect();
    try {
      const chunk = 100_000;
      for (let done = 0; done < count; done += chunk) {
        // generated in chunks so the generator's garbage does not pile up
        const n = Math.min(chunk, count - done);
        const records = makeRecords(n, (300 * n) / count, Date.now() - ((count - done - n) / count) * 300 * 86_400_000);
        for (let i = 0; i < records.length; i += BATCH) await insertNew(client, batchJson([{ records: records.slice(i, i + BATCH) }]), 'benchfill');
      }
    } finally {
      client.release();
    }
  } finally {
    await db.close();
  }
  if (o.routed) {
    const last = await admin(url, async (c) => Number((await c.query<{ last_seq: string }>('SELECT last_seq FROM event_log')).rows[0]!.last_seq));
    // through the bot's own state store (the document routing-cursor.ts reads), not a hand-written row
    const state = new PgStateStore({ url, log });
    try {
      const cursor = await state.doc<{ routedThrough: number }>('routing', { routedThrough: -1 }).open();
      await cursor.update((d) => {
        d.routedThrough = last;
      });
    } finally {
      await state.close();
    }
  }
  await admin(url, (c) => c.query('VACUUM ANALYZE'));
  return round((performance.now() - started) / 1000, 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [url, count, flag] = process.argv.slice(2);
  if (!url) throw new Error('usage: npx tsx bench/pg-fill.ts <DATABASE_URL> [count] [--routed]');
  console.log(JSON.stringify({ fillSeconds: await fillEvents(url, Number(count ?? 100_000), { routed: flag === '--routed' }) }));
}
