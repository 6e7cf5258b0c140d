/**
 * The fields every record shares (RecordBase), read once per event and handed to the family mapper.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RecordBase, Source } from '../domain/records.ts';
import { asObject, eventTypeOf, field, partyFromActor, publishedAt, text, type RawEvent } from './fields.ts';
import { workflowsAttribution } from './workflows.ts';

/** RecordBase without `family`: the mapper sets it with its kind. */
export type Base = Omit<RecordBase, 'family'>;

export interface BaseResult {
  base: Base;
  /** set when `published` was missing or unreadable and the receive time was used instead */
  warning?: string;
}

/** JSON with object keys sorted at every level, so equal events give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The dedup key: Okta's `uuid` (unique per event, SPEC §3), else a hash of the whole event so that a
 * redelivery of the same uuid-less event is still stored once.
 */
export function recordId(raw: unknown): string {
  const uuid = text(field(asObject(raw), 'uuid'));
  if (uuid !== undefined) return uuid;
  try {
    return `sha256:${createHash('sha256').update(canonicalJson(raw)).digest('hex')}`;
  } catch {
    // Only a value JSON cannot hold (a BigInt, a cycle) gets here, and no Okta delivery is one.
    return `local:${randomUUID()}`;
  }
}

export function baseFields(raw: RawEvent, src: Source, now: () => Date = () => new Date()): BaseResult {
  const id = recordId(raw);
  const published = publishedAt(raw);
  const outcome = asObject(field(raw, 'outcome'));
  const base: Base = {
    id,
    type: eventTypeOf(raw) ?? 'unknown',
    at: published ?? now().toISOString(),
    src,
    actor: partyFromActor(raw),
    outcome: text(field(outcome, 'result')),
    reason: text(field(outcome, 'reason')),
    msg: text(field(raw, 'displayMessage')),
    wf: workflowsAttribution(raw),
  };
  if (published !== undefined) return { base };
  const got = text(field(raw, 'published'));
  const why = got === undefined ? 'no published time' : `unreadable published time ${JSON.stringify(got.slice(0, 40))}`;
  return { base, warning: `event ${id}: ${why}, using the time it was received` };
}
