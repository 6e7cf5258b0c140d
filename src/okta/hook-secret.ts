import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDurably } from '../store/durable-json-file.ts';
import type { StateStore } from '../store/state-store.ts';

export interface HookSecret {
  value: string;
  /**
   * env: OKTA_HOOK_SECRET; file: kept in DATA_DIR from an earlier start; database: kept in PostgreSQL (made
   * by this or another replica); generated: new this start
   */
  origin: 'env' | 'file' | 'database' | 'generated';
}

export const HOOK_SECRET_FILE = 'okta-hook-secret';

/**
 * The hook endpoint is never open without a secret: when OKTA_HOOK_SECRET is unset, one is generated once
 * (256 random bits) and kept in DATA_DIR so it survives restarts and the Okta side stays valid. Replicas on
 * PostgreSQL keep it there instead: every replica must answer Okta's one header, and the first to start makes it.
 */
export async function resolveHookSecret(configured: string | undefined, dataDir: string, state?: StateStore): Promise<HookSecret> {
  if (configured) return { value: configured, origin: 'env' };
  if (state?.kind === 'postgres') return sharedSecret(state);
  const file = path.join(dataDir, HOOK_SECRET_FILE);
  try {
    const value = (await readFile(file, 'utf8')).trim();
    if (value.length >= 16) return { value, origin: 'file' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const value = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeDurably(file, value + '\n');
  return { value, origin: 'generated' };
}

/** the secret in PostgreSQL: two replicas starting at once both end with the one committed first */
async function sharedSecret(state: StateStore): Promise<HookSecret> {
  const doc = await state.doc<{ value?: string }>(HOOK_SECRET_FILE, {}).open();
  if (doc.data.value) return { value: doc.data.value, origin: 'database' };
  const mine = randomBytes(32).toString('base64url');
  await doc.update((d) => {
    d.value ??= mine;
  });
  const value = doc.data.value ?? mine;
  return { value, origin: value === mine ? 'generated' : 'database' };
}
