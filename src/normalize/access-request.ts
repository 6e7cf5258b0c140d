/**
 * The 16 access.request.* events (SPEC §4). debugData carries `accessRequestId`, `accessRequestSubject`,
 * `requesterId`, `requestedForId`, `requestedResourceId/Type` and `accessScopeId/Type`. The subject is the
 * text to show: it stays readable across the lifecycle while target names degrade to "Task with id X".
 * Names and logins for the ids come from the actor or a target with the same id, when the event has one.
 */
import type { AccessRequestRecord, Party, Resource } from '../domain/records.ts';
import { ACCESS_REQUEST_PREFIX } from '../okta/event-types.ts';
import type { Base } from './base.ts';
import { compactMerge, nonEmpty } from './compact.ts';
import { actionOf, debugData, partyWithId, pick, type RawEvent } from './fields.ts';

function party(raw: RawEvent, id: string | undefined): Party | undefined {
  return nonEmpty<Party>({ ...partyWithId(raw, id), id });
}

function resource(raw: RawEvent, id: string | undefined, type: string | undefined): Resource | undefined {
  return nonEmpty<Resource>({ id, name: partyWithId(raw, id)?.name, type });
}

/** `action` is the event type after `access.request.`: create, resolve, condition.create … */
export function normalizeAccessRequest(raw: RawEvent, base: Base): AccessRequestRecord {
  const data = debugData(raw);
  return compactMerge(base, {
    kind: 'access_request' as const,
    family: 'access_request' as const,
    action: actionOf(base.type, ACCESS_REQUEST_PREFIX),
    request: pick(data, 'accessRequestId'),
    subject: pick(data, 'accessRequestSubject'),
    requester: party(raw, pick(data, 'requesterId')),
    requestedFor: party(raw, pick(data, 'requestedForId')),
    resource: resource(raw, pick(data, 'requestedResourceId'), pick(data, 'requestedResourceType')),
    scope: resource(raw, pick(data, 'accessScopeId'), pick(data, 'accessScopeType')),
  });
}
