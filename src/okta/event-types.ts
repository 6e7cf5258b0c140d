/**
 * The Okta event types the bot understands (SPEC §4), grouped by family.
 *
 * Checked against Okta's event type catalog (okta-developer-docs data/event-types.json, release 2026.08.1,
 * copy in test/fixtures/okta/event-types-governance.json). All are tagged `event-hook-eligible` there except
 * `certification.campaign.update`, which only the System Log backfill can see.
 */
import type { Family } from '../domain/records.ts';

export const DECIDE = 'certification.campaign.item.decide';
export const REMEDIATE = 'certification.campaign.item.remediate';

export const CAMPAIGN_EVENT_TYPES = [
  'certification.campaign.launch',
  'certification.campaign.close',
  'certification.campaign.update',
] as const;

export const CERTIFICATION_EVENT_TYPES = [DECIDE, REMEDIATE, ...CAMPAIGN_EVENT_TYPES] as const;

export const ACCESS_REQUEST_PREFIX = 'access.request.';
export const ACCESS_REQUEST_EVENT_TYPES = [
  'access.request.cancel',
  'access.request.condition.activate',
  'access.request.condition.create',
  'access.request.condition.deactivate',
  'access.request.condition.delete',
  'access.request.condition.invalidate',
  'access.request.condition.update',
  'access.request.create',
  'access.request.expire',
  'access.request.reject',
  'access.request.resolve',
  'access.request.sequence.create',
  'access.request.sequence.delete',
  'access.request.sequence.update',
  'access.request.settings.update',
  'access.request.update',
] as const;

export const ACCESS_REVIEW_PREFIX = 'access.review.';
export const ACCESS_REVIEW_EVENT_TYPES = [
  'access.review.create',
  'access.review.start',
  'access.review.update',
  'access.review.action',
  'access.review.remediate',
  'access.review.close',
] as const;

/** Phone verification events carry a phone number (target `MobilePhone` in Classic, debugData in OIE). */
export const PHONE_VERIFICATION_EVENT_TYPES = [
  'system.sms.send_phone_verification_message',
  'system.voice.send_phone_verification_call',
] as const;

export const API_TOKEN_EVENT_TYPES = [
  'system.api_token.create',
  'system.api_token.revoke',
  'system.api_token.request_outside_allowed_range',
] as const;

export const RATE_LIMIT_EVENT_TYPES = ['system.org.rate_limit.warning', 'system.org.rate_limit.violation'] as const;

export const SYSTEM_EVENT_TYPES = [
  ...PHONE_VERIFICATION_EVENT_TYPES,
  ...API_TOKEN_EVENT_TYPES,
  ...RATE_LIMIT_EVENT_TYPES,
  'system.import.start',
  'system.import.complete',
  'system.import.roadblock',
  'system.import.entitlement.upper_limit_exceeded',
  'security.authenticator.lifecycle.activate',
  'security.authenticator.lifecycle.deactivate',
] as const;

/** Every type above: the filter of the System Log backfill. */
export const GOVERNANCE_EVENT_TYPES = [
  ...CERTIFICATION_EVENT_TYPES,
  ...ACCESS_REQUEST_EVENT_TYPES,
  ...ACCESS_REVIEW_EVENT_TYPES,
  ...SYSTEM_EVENT_TYPES,
] as const;

/**
 * Okta Privileged Access (OPA) writes its audit events to the System Log as `pam.*` types (153 in Okta's
 * catalog, release 2026.08.1: test/fixtures/asa/okta-eventtypes-category-asa.json), the twins of ASA's
 * auditsV2 `details.type`s. They are read only when OKTA_SYSTEM_LOG_PAM=1, by prefix: OPA adds types often
 * (19 of the catalog's types were added in 2026 alone), and a list would miss the new ones.
 */
export const PAM_PREFIX = 'pam.';

export function isPamEventType(eventType: string): boolean {
  return eventType.startsWith(PAM_PREFIX) && eventType.length > PAM_PREFIX.length;
}

export type GovernanceEventType = (typeof GOVERNANCE_EVENT_TYPES)[number];

const FAMILY_BY_TYPE: ReadonlyMap<string, Family> = new Map<string, Family>([
  ...CERTIFICATION_EVENT_TYPES.map((t) => [t, 'certification'] as const),
  ...ACCESS_REQUEST_EVENT_TYPES.map((t) => [t, 'access_request'] as const),
  ...ACCESS_REVIEW_EVENT_TYPES.map((t) => [t, 'access_review'] as const),
  ...SYSTEM_EVENT_TYPES.map((t) => [t, 'system'] as const),
]);

/**
 * The family of a known event type; anything else is `other` (stored with its displayMessage, never dropped).
 * Exact match on purpose: a new `certification.*` type Okta adds later must not be read as a decision. OPA's
 * `pam.*` types are the one prefix: every one of them is an ASA/OPA audit event, whatever its action.
 */
export function familyOf(eventType: string): Family {
  return FAMILY_BY_TYPE.get(eventType) ?? (isPamEventType(eventType) ? 'asa' : 'other');
}

export function isGovernanceEventType(eventType: string): eventType is GovernanceEventType {
  return FAMILY_BY_TYPE.has(eventType);
}
