/**
 * Which Teams activities acted, in PostgreSQL (migrations/006-teams-activities.sql), for every replica:
 * SeenActivities (seen-activities.ts) asks here before a turn acts, so that a retry the load balancer sends
 * to another replica neither acts twice nor is lost when the first turn failed.
 */
import type { Logger } from 'pino';
import { loggableError } from '../../src/store/postgres/connection-error.ts';
import type { Database } from '../../src/store/postgres/database.ts';
import type { ActivityClaims, ClaimAnswer } from './seen-activities.ts';

export interface PgActivityClaimsOptions {
  database: Database;
  log: Logger;
  /** a 'running' claim older than this is a replica that died mid-turn: a retry takes it over */
  staleMs?: number;
}

// a new key is claimed; so is one whose running turn is stale (its replica died); an acted one is not
const CLAIM = `INSERT INTO teams_activities (key, state, at) VALUES ($1, 'running', now())
ON CONFLICT (key) DO UPDATE SET at = now()
  WHERE teams_activities.state = 'running' AND teams_activities.at < now() - make_interval(secs => $2)
RETURNING key`;
const STATE = 'SELECT state FROM teams_activities WHERE key = $1';
const ACTED = "UPDATE teams_activities SET state = 'acted', at = now() WHERE key = $1";
const FAILED = "DELETE FROM teams_activities WHERE key = $1 AND state = 'running'";
const PRUNE = "DELETE FROM teams_activities WHERE at < now() - interval '1 day'";

/** claims between two prunes of day-old rows */
const PRUNE_EVERY = 200;

export class PgActivityClaims implements ActivityClaims {
  private claims = 0;

  constructor(private readonly o: PgActivityClaimsOptions) {}

  async claim(key: string): Promise<ClaimAnswer> {
    if (++this.claims % PRUNE_EVERY === 0) {
      this.o.database.pool.query(PRUNE).catch((err: unknown) => this.o.log.warn({ err: loggableError(err) }, 'could not prune old Teams activity ids'));
    }
    for (;;) {
      const won = await this.o.database.pool.query(CLAIM, [key, (this.o.staleMs ?? 60_000) / 1000]);
      if ((won.rowCount ?? 0) > 0) return 'claimed';
      const found = await this.o.database.pool.query<{ state: 'running' | 'acted' }>(STATE, [key]);
      // the row went between the two statements (its turn failed): claim again
      if (found.rows[0]) return found.rows[0].state;
    }
  }

  async settle(key: string, acted: boolean): Promise<void> {
    await this.o.database.pool.query(acted ? ACTED : FAILED, [key]);
  }
}
