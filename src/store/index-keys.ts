import type { EventRecord, Party, Resource } from '../domain/records.ts';

/** The in-memory indexes of the event store (issue: by campaign item, principal, resource, campaign, request, type). */
export type IndexName = 'item' | 'principal' | 'resource' | 'campaign' | 'request' | 'type';

/** Lookup keys are case-insensitive: admins type "Alice", Okta says "alice@example.com". */
export function normalizeKey(s: string): string {
  return s.trim().toLowerCase();
}

function partyKeys(p: Party | undefined, out: Set<string>): void {
  if (!p) return;
  for (const v of [p.id, p.login, p.name]) if (v) out.add(normalizeKey(v));
}

function resourceKeys(r: Resource | undefined, out: Set<string>): void {
  if (!r) return;
  for (const v of [r.id, r.name]) if (v) out.add(normalizeKey(v));
}

/**
 * Under which keys a record is found in each index. A person is found by id, login or display name; the
 * "principal" of a record is whom it is about (reviewed user, requested-for user, ASA user), not who acted.
 */
export function indexKeys(r: EventRecord): Record<IndexName, Set<string>> {
  const keys: Record<IndexName, Set<string>> = {
    item: new Set(),
    principal: new Set(),
    resource: new Set(),
    campaign: new Set(),
    request: new Set(),
    type: new Set([r.type]),
  };
  switch (r.kind) {
    case 'decision':
    case 'remediation':
      if (r.item) keys.item.add(r.item);
      partyKeys(r.principal, keys.principal);
      resourceKeys(r.resource, keys.resource);
      resourceKeys(r.campaign, keys.campaign);
      break;
    case 'campaign':
      resourceKeys(r.campaign, keys.campaign);
      break;
    case 'access_request':
      if (r.request) keys.request.add(r.request);
      partyKeys(r.requestedFor, keys.principal);
      partyKeys(r.requester, keys.principal);
      resourceKeys(r.resource, keys.resource);
      break;
    case 'access_review':
      resourceKeys(r.review, keys.campaign);
      partyKeys(r.principal, keys.principal);
      resourceKeys(r.resource, keys.resource);
      break;
    case 'asa':
      if (r.user) keys.principal.add(normalizeKey(r.user));
      if (r.server) keys.resource.add(normalizeKey(r.server));
      break;
    default:
      break;
  }
  return keys;
}
