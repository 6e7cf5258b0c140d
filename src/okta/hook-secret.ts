import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDurably } from '../store/durable-json-file.ts';

export interface HookSecret {
  value: string;
  /** env: OKTA_HOOK_SECRET; file: kept in DATA_DIR from an earlier start; generated: new this start */
  origin: 'env' | 'file' | 'generated';
}

export const HOOK_SECRET_FILE = 'okta-hook-secret';

/**
 * The hook endpoint is never open without a secret: when OKTA_HOOK_SECRET is unset, one is generated once
 * (256 random bits) and kept in DATA_DIR so it survives restarts and the Okta side stays valid.
 */
export async function resolveHookSecret(configured: string | undefined, dataDir: string): Promise<HookSecret> {
  if (configured) return { value: configured, origin: 'env' };
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
