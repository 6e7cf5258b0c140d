/**
 * Loose types for what Okta sends: a System Log `LogEvent` and the event-hook delivery envelope.
 *
 * Every field is optional and most may be `null`: Okta documents `debugContext.debugData` as "not a data
 * contract", the System Log API and event hooks differ in small ways (the official hook sample puts `ipChain`
 * under `client`, the API under `request`), and exported samples (Panther) lower-case some top-level keys.
 * These types describe the expected shape for builders and readers; the normalizers still narrow from `unknown`.
 */

/** `actor` and each `target[]` entry (Okta "LogActor" / "LogTarget"). */
export interface LogParty {
  id?: string | null;
  /** User, AppInstance, Group, Token, "URL Pattern", SystemPrincipal … */
  type?: string | null;
  /** usually the login / email; Okta writes "unknown" when it has none */
  alternateId?: string | null;
  displayName?: string | null;
  detailEntry?: Record<string, unknown> | null;
  /** Panther exports carry `details` instead of `detailEntry` */
  details?: unknown;
}

export interface LogClient {
  userAgent?: { rawUserAgent?: string | null; os?: string | null; browser?: string | null } | null;
  zone?: string | null;
  device?: string | null;
  id?: string | null;
  ipAddress?: string | null;
  geographicalContext?: Record<string, unknown> | null;
  ipChain?: unknown[] | null;
}

export interface LogOutcome {
  /** SUCCESS, SKIPPED, FAILURE, ALLOW, DENY, CHALLENGE, UNKNOWN */
  result?: string | null;
  reason?: string | null;
}

export interface LogEvent {
  uuid?: string | null;
  /** ISO 8601 from Okta; Panther exports use "2021-01-08 21:28:34.875" (UTC, no zone) */
  published?: string | null;
  eventType?: string | null;
  version?: string | null;
  severity?: string | null;
  displayMessage?: string | null;
  actor?: LogParty | null;
  client?: LogClient | null;
  outcome?: LogOutcome | null;
  target?: LogParty[] | null;
  /** values are usually strings, sometimes numbers or booleans */
  debugContext?: { debugData?: Record<string, unknown> | null } | null;
  transaction?: { type?: string | null; id?: string | null; detail?: Record<string, unknown> | null } | null;
  request?: { ipChain?: unknown[] | null } | null;
  authenticationContext?: Record<string, unknown> | null;
  securityContext?: Record<string, unknown> | null;
  legacyEventType?: string | null;
  /** anything else Okta adds (device, insertionTimestamp …) or Panther's lower-cased keys */
  [key: string]: unknown;
}

/** The event-hook delivery (SPEC §3): may batch several LogEvents. */
export interface EventHookEnvelope {
  eventType: 'com.okta.event_hook';
  eventTypeVersion?: string;
  cloudEventsVersion?: string;
  source?: string;
  /** unique per delivery; a retry of the same delivery keeps it */
  eventId?: string;
  eventTime?: string;
  contentType?: string;
  data: { events: LogEvent[] };
}

export const EVENT_HOOK_TYPE = 'com.okta.event_hook';

/** True for `{eventType:"com.okta.event_hook", data:{events:[…]}}`; the events themselves are not checked. */
export function isEventHookEnvelope(body: unknown): body is EventHookEnvelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  if (b['eventType'] !== EVENT_HOOK_TYPE) return false;
  const data = b['data'];
  if (typeof data !== 'object' || data === null) return false;
  return Array.isArray((data as Record<string, unknown>)['events']);
}
