/**
 * The PostgreSQL server of the test run (test/setup/postgres-cluster.ts: DATABASE_URL, or a throw-away
 * cluster) and a fresh, empty database per test or suite on it, so suites never see each other's rows and
 * may run in parallel. Suites that need the server use describePg: skipped, with the reason printed once
 * by the setup, where there is none.
 */
import type pg from 'pg';
import { describe, inject } from 'vitest';
import { createDatabase, onServer, type CreatedDatabase } from '../setup/postgres-admin.ts';

/** a server URL whose user may CREATE DATABASE, or '' */
export const pgServerUrl: string = inject('pgServerUrl') ?? '';

export const pgAvailable: boolean = pgServerUrl !== '';

/** describe when a PostgreSQL server is there, describe.skip otherwise */
export const describePg: typeof describe = pgAvailable ? describe : (describe.skip as typeof describe);

export type FreshDatabase = CreatedDatabase;

export async function freshDatabase(): Promise<FreshDatabase> {
  if (!pgAvailable) throw new Error('freshDatabase() needs a PostgreSQL server: use describePg');
  return createDatabase(pgServerUrl, 'oig_t_');
}

/** runs one thing on the server's own database as the run's (admin) user */
export function asAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  return onServer(pgServerUrl, work);
}
