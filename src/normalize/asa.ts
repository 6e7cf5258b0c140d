/**
 * One ASA `auditsV2` event → one AsaRecord (SPEC §6). Pure: the page's `related_objects` and the notable
 * types come in as arguments, the clock only stands in for a missing timestamp.
 *
 * `details` values are literals, keys into `related_objects`, or arrays of keys (Okta's ASA Audit Events
 * API reference, fixtures/asa/asa-auditsV2-list-docs-example.json). Keys are resolved into names so the
 * stored event reads "Jason.Compson.IV (status ACTIVE) logged in to harvard (project the-sound-and-the-fury)".
 * A key missing from `related_objects` is kept as it came and read as "an unknown user/server"; nothing
 * here throws, whatever the shape.
 */
import { createHash } from 'node:crypto';
import type { AsaRecord, UnparsedRecord } from '../domain/records.ts';
import { canonicalJson } from './base.ts';
import { compact } from './compact.ts';
import { asObject, text, type RawEvent } from './fields.ts';

export interface AsaMapOptions {
  /** `details.type` values that get `notable: true` (routing posts only those, SPEC §5) */
  notableTypes: ReadonlySet<string>;
  now?: () => Date;
}

export interface AsaNormalized {
  record: AsaRecord | UnparsedRecord;
  warning?: string;
}

/** The object kinds ASA names in `related_objects[*].type` (SPEC §6). */
type ObjectType = 'user' | 'server' | 'project' | 'group' | 'client' | 'gateway' | (string & {});
interface Resolved {
  type: ObjectType;
  /** short name: user name, hostname, project/group name */
  name: string;
  /** the name with what helps a reader: "alice (status ACTIVE)", "web-01 (project prod)" */
  label: string;
  /** servers carry their project */
  project?: string;
}

/** A related-object key: base64 of a SHA-256 digest, as in Okta's documented example. */
const KEY_SHAPE = /^[A-Za-z0-9+/]{43}=$/;
const MAX_VALUE = 500;

export function normalizeAsaEvent(raw: unknown, relatedObjects: unknown, o: AsaMapOptions): AsaNormalized {
  const now = o.now ?? (() => new Date());
  const event = asObject(raw);
  if (event === undefined) return unparsed(raw, now, 'an auditsV2 list entry that is not an object');
  const details = asObject(event.details) ?? {};
  const type = text(details.type) ?? 'unknown';
  const related = asObject(relatedObjects) ?? {};

  const flat: Record<string, string> = {};
  const found: Resolved[] = [];
  const missing = new Map<string, string>();
  for (const key of Object.keys(details)) {
    if (key === 'type') continue;
    const parts: string[] = [];
    for (const value of Array.isArray(details[key]) ? (details[key] as unknown[]) : [details[key]]) {
      const ref = typeof value === 'string' ? resolve(related, value) : undefined;
      if (ref) {
        found.push(ref);
        parts.push(ref.name);
      } else {
        const literal = literalText(value);
        if (literal === undefined) continue;
        if (KEY_SHAPE.test(literal)) missing.set(key, literal);
        parts.push(literal);
      }
    }
    if (parts.length > 0) flat[key] = parts.join(', ');
  }

  const at = timestampOf(event.timestamp);
  const user = first(found, 'user');
  const server = first(found, 'server');
  const record: AsaRecord = compact({
    id: `asa:${text(event.id) ?? hashOf(raw)}`,
    type,
    family: 'asa' as const,
    at: at ?? now().toISOString(),
    src: 'asa' as const,
    kind: 'asa' as const,
    text: sentence(type, found, missing),
    user: user?.name,
    server: server?.name,
    project: server?.project ?? first(found, 'project')?.name,
    details: Object.keys(flat).length > 0 ? flat : undefined,
    notable: o.notableTypes.has(type) ? true : undefined,
  });
  if (at !== undefined) return { record };
  return { record, warning: `ASA event ${record.id} has no readable timestamp; the poll time stands in` };
}

function resolve(related: RawEvent, key: string): Resolved | undefined {
  if (!Object.hasOwn(related, key)) return undefined;
  const entry = asObject(related[key]);
  const type = text(entry?.type);
  const obj = asObject(entry?.object);
  if (type === undefined || obj === undefined) return undefined;
  const details = asObject(obj.details);
  const name = text(obj.name) ?? text(obj.hostname) ?? text(details?.full_name) ?? text(obj.id) ?? key;
  switch (type) {
    case 'user': {
      const status = text(obj.status);
      return { type, name, label: status ? `${name} (status ${status})` : name };
    }
    case 'server': {
      const host = text(obj.hostname) ?? text(obj.canonical_name) ?? name;
      const project = text(obj.project_name);
      return { type, name: host, label: project ? `${host} (project ${project})` : host, project };
    }
    case 'client':
    case 'gateway': {
      const host = text(obj.hostname) ?? name;
      return { type, name: host, label: `${type} ${host}` };
    }
    default:
      return { type, name, label: `${type} ${name}` };
  }
}

function literalText(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) {
    const json = JSON.stringify(value);
    return json === '{}' || json === '[]' ? undefined : clip(json);
  }
  const s = text(value);
  return s === undefined ? undefined : clip(s);
}

function clip(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function first(found: readonly Resolved[], type: ObjectType): Resolved | undefined {
  return found.find((r) => r.type === type);
}

/**
 * The readable sentence. Types whose meaning Okta documents (fixtures/asa/okta-eventtypes-category-asa.json)
 * get their own wording; every other type reads "<actor>: <type> (<objects>)".
 */
function sentence(type: string, found: readonly Resolved[], missing: ReadonlyMap<string, string>): string {
  const user = first(found, 'user');
  const actor = user?.label ?? (missing.has('actor') || missing.has('user') ? 'an unknown user' : undefined);
  const server = first(found, 'server')?.label ?? (missing.has('target_server') || missing.has('server') ? 'an unknown server' : undefined);
  const client = first(found, 'client');
  const gateway = first(found, 'gateway');
  const who = actor ?? 'someone';
  switch (type) {
    case 'server.ssh_login':
      if (server) return `${who} logged in to ${server}`;
      break;
    case 'user_creds.issue':
      if (server) return `${who} was issued credentials for ${server}`;
      break;
    case 'gateway_creds.issue':
      if (server) return `${gateway ? gateway.label : 'a gateway'} was issued credentials for ${server}${actor ? ` on behalf of ${actor}` : ''}`;
      break;
    case 'auth_token.issue':
      return `${who} was issued an auth token${client ? ` on ${client.label}` : ''}`;
    case 'server.enroll':
      if (server) return `server ${server} enrolled`;
      break;
  }
  const others = found.filter((r) => r !== user).map((r) => (r.type === 'server' ? `server ${r.label}` : r.label));
  const unique = [...new Set(others)];
  return `${actor ?? 'ASA'}: ${type}${unique.length > 0 ? ` (${unique.join(', ')})` : ''}`;
}

/** ASA writes nanoseconds ("2020-11-18T18:05:08.277119888Z"); records keep milliseconds, UTC */
function timestampOf(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** an event without an id still needs a stable one, so that re-reading its page stores it once */
function hashOf(raw: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(raw)).digest('hex')}`;
}

function unparsed(raw: unknown, now: () => Date, problem: string): AsaNormalized {
  const record: UnparsedRecord = {
    id: `asa:${hashOf(raw)}`,
    type: 'unknown',
    family: 'asa',
    at: now().toISOString(),
    src: 'asa',
    kind: 'unparsed',
    problem,
    raw: raw ?? 'null',
  };
  return { record, warning: `${problem}; stored raw` };
}
