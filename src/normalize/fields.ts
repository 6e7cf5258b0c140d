/**
 * Safe readers for raw Okta LogEvents. Nothing here throws, whatever the input: every field of a LogEvent is
 * optional, `debugData` is "not a data contract" (Okta System Log docs), and exports such as Panther's
 * lower-case top-level keys (`debugcontext`, `eventtype`, `displaymessage`).
 */
import type { Party } from '../domain/records.ts';
import { nonEmpty } from './compact.ts';

/** A LogEvent once we know it is a JSON object. */
export type RawEvent = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): RawEvent | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawEvent) : undefined;
}

/** A non-empty string; numbers and booleans are stringified (debugData sometimes carries them unquoted). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** `obj[name]`, else the first key equal to `name` ignoring case (Panther's `debugcontext`, `eventtype` …). */
export function field(obj: RawEvent | undefined, name: string): unknown {
  if (obj === undefined) return undefined;
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/** `eventType` when it is a non-empty string (a number there means the shape is wrong, not a type "42"). */
export function eventTypeOf(raw: RawEvent): string | undefined {
  const type = field(raw, 'eventType');
  return typeof type === 'string' ? text(type.trim()) : undefined;
}

/** `debugContext.debugData` as a string map; nested values become JSON text, null/empty values are left out. */
export function debugData(raw: RawEvent): Record<string, string> {
  const data = asObject(field(asObject(field(raw, 'debugContext')), 'debugData'));
  const out: Record<string, string> = {};
  if (data === undefined) return out;
  for (const key in data) {
    const value = data[key];
    const s = typeof value === 'object' && value !== null ? JSON.stringify(value) : text(value);
    if (s !== undefined && Object.hasOwn(data, key)) out[key] = s;
  }
  return out;
}

/**
 * The first of `keys` present in `data`: Okta spells some keys two ways
 * (`campaignTemplateName` / `campaignItemTemplateName`).
 */
export function pick(data: Readonly<Record<string, string>>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = data[key];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** Okta writes `alternateId: "unknown"` when it has nothing (see the API token samples): not a login. */
export function realText(value: unknown): string | undefined {
  const s = text(value);
  return s === undefined || s.toLowerCase() === 'unknown' ? undefined : s;
}

/** A LogActor / LogTarget as a Party (id, displayName → name, alternateId → login); undefined when empty. */
export function partyOf(value: unknown): Party | undefined {
  const o = asObject(value);
  if (o === undefined) return undefined;
  return nonEmpty<Party>({
    id: text(field(o, 'id')),
    name: realText(field(o, 'displayName')),
    login: realText(field(o, 'alternateId')),
  });
}

export function partyFromActor(raw: RawEvent): Party | undefined {
  return partyOf(field(raw, 'actor'));
}

export function actorType(raw: RawEvent): string | undefined {
  return text(field(asObject(field(raw, 'actor')), 'type'));
}

/** What the event says about the party with this id: the actor, else a target with that id. */
export function partyWithId(raw: RawEvent, id: string | undefined): Party | undefined {
  if (id === undefined) return undefined;
  const actor = partyFromActor(raw);
  if (actor?.id === id) return actor;
  return partyOf(targetsOf(raw).find((t) => text(field(t, 'id')) === id));
}

/** The rest of an event type after its family prefix: `access.request.condition.create` → `condition.create`. */
export function actionOf(type: string, prefix: string): string {
  return type.startsWith(prefix) ? type.slice(prefix.length) : type;
}

/** `target[]`, keeping only object entries. */
export function targetsOf(raw: RawEvent): RawEvent[] {
  const list = field(raw, 'target');
  if (!Array.isArray(list)) return [];
  return list.map(asObject).filter((t): t is RawEvent => t !== undefined);
}

export function targetType(t: RawEvent): string | undefined {
  return text(field(t, 'type'));
}

/** Targets whose `type` is one of `types`, ignoring case ("AppInstance", "URL Pattern" …). */
export function targetsOfType(raw: RawEvent, ...types: string[]): RawEvent[] {
  const wanted = new Set(types.map((t) => t.toLowerCase()));
  return targetsOf(raw).filter((t) => wanted.has((targetType(t) ?? '').toLowerCase()));
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `published` as ISO 8601 UTC. Okta sends "2020-11-16T18:15:12.862Z"; Panther exports "2021-01-08 21:28:34.875"
 * with no zone, which is UTC. Anything else (missing, "yesterday", Feb 30) → undefined: the caller decides.
 */
/** Okta's own format, which is already what we store: checked with one Date parse instead of the general path */
const OKTA_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function publishedAt(raw: RawEvent): string | undefined {
  const value = text(field(raw, 'published'));
  if (value !== undefined && OKTA_ISO.test(value)) {
    const date = new Date(value);
    // "2026-02-30T…" parses to March 2: only a round trip proves the date exists
    if (!Number.isNaN(date.getTime()) && date.toISOString() === value) return value;
  }
  const m = value === undefined ? null : TIMESTAMP.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = (frac || '.').slice(0, 4).padEnd(4, '0'); // keep milliseconds, drop finer digits
  const tz = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${tz}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
