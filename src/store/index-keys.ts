import type { EventRecord, Party, Resource } from '../domain/records.ts';

/** The in-memory indexes of the event store (issue: by campaign item, principal, resource, campaign, request, type). */
export type IndexName = 'item' | 'principal' | 'resource' | 'campaign' | 'request' | 'type';

/** Lookup keys are case-insensitive: admins type "Alice", Okta says "alice@example.com". */
export function normalizeKey(s: string): string {
  return s.trim().toLowerCase();
}

/** Receives each (index, key) pair of a record; the same pair may come twice (e.g. id equal to login). */
export type KeySink = (index: IndexName, key: string) => void;

/** how keys are normalized: `normalizeKey`, or a caching version of it (EventIndexes) */
export type Normalizer = (s: string) => string;

function partyKeys(p: Party | undefined, index: IndexName, add: KeySink, norm: Normalizer): void {
  if (!p) return;
  if (p.id) add(index, norm(p.id));
  if (p.login) add(index, norm(p.login));
  if (p.name) add(index, norm(p.name));
}

function resourceKeys(r: Resource | undefined, index: IndexName, add: KeySink, norm: Normalizer): void {
  if (!r) return;
  if (r.id) add(index, norm(r.id));
  if (r.name) add(index, norm(r.name));
}

/**
 * Under which keys a record is found in each index. A person is found by id, login or display name; the
 * "principal" of a record is whom it is about (reviewed user, requested-for user, ASA user), not who acted.
 * Calls `add` instead of building sets: this runs for every stored event, on the hook's hot path.
 */
export function indexKeys(r: EventRecord, add: KeySink, norm: Normalizer = normalizeKey): void {
  add('type', r.type);
  switch (r.kind) {
    case 'decision':
    case 'remediation':
      if (r.item) add('item', r.item);
      partyKeys(r.principal, 'principal', add, norm);
      resourceKeys(r.resource, 'resource', add, norm);
      resourceKeys(r.campaign, 'campaign', add, norm);
      break;
    case 'campaign':
      resourceKeys(r.campaign, 'campaign', add, norm);
      break;
    case 'access_request':
      if (r.request) add('request', r.request);
      partyKeys(r.requestedFor, 'principal', add, norm);
      partyKeys(r.requester, 'principal', add, norm);
      resourceKeys(r.resource, 'resource', add, norm);
      break;
    case 'access_review':
      resourceKeys(r.review, 'campaign', add, norm);
      partyKeys(r.principal, 'principal', add, norm);
      resourceKeys(r.resource, 'resource', add, norm);
      break;
    case 'asa':
      if (r.user) add('principal', norm(r.user));
      // OPA events (System Log pam.*) carry the Okta actor: found by Okta id and name as well as by login
      partyKeys(r.actor, 'principal', add, norm);
      if (r.server) add('resource', norm(r.server));
      break;
    default:
      break;
  }
}
