import type { EventRecord, Party, Resource } from '../domain/records.ts';

/** The in-memory indexes of the event store (issue: by campaign item, principal, resource, campaign, request, type). */
export type IndexName = 'item' | 'principal' | 'resource' | 'campaign' | 'request' | 'type';

/** Lookup keys are case-insensitive: admins type "Alice", Okta says "alice@example.com". */
export function normalizeKey(s: string): string {
  return s.trim().toLowerCase();
}

/** Receives each (index, key) pair of a record; the same pair may come twice (e.g. id equal to login). */
export type KeySink = (index: IndexName, key: string) => void;

function partyKeys(p: Party | undefined, index: IndexName, add: KeySink): void {
  if (!p) return;
  if (p.id) add(index, normalizeKey(p.id));
  if (p.login) add(index, normalizeKey(p.login));
  if (p.name) add(index, normalizeKey(p.name));
}

function resourceKeys(r: Resource | undefined, index: IndexName, add: KeySink): void {
  if (!r) return;
  if (r.id) add(index, normalizeKey(r.id));
  if (r.name) add(index, normalizeKey(r.name));
}

/**
 * Under which keys a record is found in each index. A person is found by id, login or display name; the
 * "principal" of a record is whom it is about (reviewed user, requested-for user, ASA user), not who acted.
 * Calls `add` instead of building sets: this runs for every stored event, on the hook's hot path.
 */
export function indexKeys(r: EventRecord, add: KeySink): void {
  add('type', r.type);
  switch (r.kind) {
    case 'decision':
    case 'remediation':
      if (r.item) add('item', r.item);
      partyKeys(r.principal, 'principal', add);
      resourceKeys(r.resource, 'resource', add);
      resourceKeys(r.campaign, 'campaign', add);
      break;
    case 'campaign':
      resourceKeys(r.campaign, 'campaign', add);
      break;
    case 'access_request':
      if (r.request) add('request', r.request);
      partyKeys(r.requestedFor, 'principal', add);
      partyKeys(r.requester, 'principal', add);
      resourceKeys(r.resource, 'resource', add);
      break;
    case 'access_review':
      resourceKeys(r.review, 'campaign', add);
      partyKeys(r.principal, 'principal', add);
      resourceKeys(r.resource, 'resource', add);
      break;
    case 'asa':
      if (r.user) add('principal', normalizeKey(r.user));
      if (r.server) add('resource', normalizeKey(r.server));
      break;
    default:
      break;
  }
}
