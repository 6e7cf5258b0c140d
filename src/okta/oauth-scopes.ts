/**
 * The OAuth 2.0 scopes the bot asks Okta for, and what needs each (Okta's "OAuth 2.0 Scopes" and the
 * Okta Identity Governance API reference). An access token carries only scopes granted to the service app
 * under Applications › the app › Okta API Scopes; Okta refuses the whole token request (`invalid_scope`)
 * when one requested scope is not granted, so the optional one is dropped and the request made again.
 */

/** refused: the bot does not start (System Log backfill and Verify cannot work without them) */
export const REQUIRED_SCOPES: readonly string[] = [
  /** System Log backfill: GET /api/v1/logs */
  'okta.logs.read',
  /** Verify: GET /api/v1/users/{id}/groups */
  'okta.users.read',
  /** Verify: GET /api/v1/groups/rules and a group's type */
  'okta.groups.read',
  /** Verify: GET /api/v1/apps/{appId}/users/{userId}, /api/v1/apps/{appId}/groups */
  'okta.apps.read',
];

/**
 * Verify's OIG grant sources (GET /governance/api/v1/principal-access): optional, as Verify treats a 403
 * there as "not available". Refused: the bot runs without it and says so once.
 */
export const GOVERNANCE_SCOPE = 'okta.governance.entitlements.read';

const SCOPE_NAME = /okta\.[A-Za-z]+(?:\.[A-Za-z]+)*/g;

/** the requested scopes an `invalid_scope` description names ("… not allowed …: [okta.users.read]"); often none */
export function scopesNamedIn(description: string | undefined, requested: readonly string[]): string[] {
  const named = new Set(description?.match(SCOPE_NAME) ?? []);
  return requested.filter((s) => named.has(s));
}
