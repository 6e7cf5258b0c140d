/**
 * SeenActivities with the replicas' shared record (PgActivityClaims) when the database cannot be asked:
 * the turn acts (a press lost is worse than a press repeated) and says so in the log. The claims talk to a
 * real pg pool pointed at a port nobody listens on.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PgActivityClaims } from '../../adapters/teams/pg-activity-claims.ts';
import { SeenActivities } from '../../adapters/teams/seen-activities.ts';
import { capturingLogger } from '../slack/slack-bot.ts';

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.end();
});

it('acts when the shared record cannot be reached, and logs why; the local memory still stops a second act', async () => {
  const pool = new pg.Pool({ connectionString: 'postgres://oig:pw@127.0.0.1:1/oig', connectionTimeoutMillis: 500 });
  pools.push(pool);
  const { log, lines } = capturingLogger();
  const claims = new PgActivityClaims({ database: { pool, close: () => pool.end() }, log });
  const seen = new SeenActivities({ shared: claims, log });
  let acted = 0;
  const turn = async () => {
    acted++;
    return { status: 200 };
  };
  expect(await seen.once('conv|1', turn)).toEqual({ status: 200 });
  expect(acted).toBe(1);
  expect(lines.some((l) => String(l.msg).includes('could not ask the other replicas whether a Teams activity was handled; handling it here'))).toBe(true);
  await seen.once('conv|1', turn);
  expect(acted).toBe(1);
});
