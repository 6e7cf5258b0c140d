/** Shared by the normalize tests: run the normalizer with a fixed clock and narrow the record to one kind. */
import { expect } from 'vitest';
import type { EventRecord } from '../../src/domain/records.ts';
import { normalizeEvent, type Normalized } from '../../src/normalize/index.ts';
import { readOktaFixture } from '../helpers/okta-events.ts';

export const NOW = new Date('2025-08-01T12:00:00.000Z');

export function normalize(raw: unknown): Normalized {
  return normalizeEvent(raw, 'hook', () => NOW);
}

export function fixture(name: string): unknown {
  return readOktaFixture(name);
}

/** The record, asserted to be of `kind`, typed as such. */
export function recordOf<K extends EventRecord['kind']>(raw: unknown, kind: K): Extract<EventRecord, { kind: K }> {
  const { record } = normalize(raw);
  expect(record.kind).toBe(kind);
  return record as Extract<EventRecord, { kind: K }>;
}

/** Every key path whose value is undefined or null (records are stored as compact JSON). */
export function emptyPaths(value: unknown, path = '$'): string[] {
  if (value === undefined || value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyPaths(v, `${path}[${i}]`));
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => emptyPaths(v, `${path}.${k}`));
}
