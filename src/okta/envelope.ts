import { AppError } from '../errors.ts';

/** What the hook route accepts: an Okta event hook delivery (SPEC §3) with its events still raw. */
export interface HookDelivery {
  /** envelope eventId: unique per delivery, repeated when Okta retries */
  eventId?: string;
  events: Record<string, unknown>[];
}

const ENVELOPE_TYPE = 'com.okta.event_hook';

/**
 * Checks that a parsed body is an event hook envelope:
 * `{eventType:"com.okta.event_hook", eventId, …, data:{events:[LogEvent…]}}`. The events themselves are
 * not judged here: an odd event is still stored (raw) by the normalizer, never refused.
 */
export function parseEnvelope(body: unknown): HookDelivery {
  if (!isObject(body)) throw notEnvelope('the body is not a JSON object');
  if (body.eventType !== undefined && body.eventType !== ENVELOPE_TYPE) {
    throw notEnvelope(`eventType is "${String(body.eventType).slice(0, 80)}", expected "${ENVELOPE_TYPE}"`);
  }
  const data = body.data;
  if (!isObject(data) || !Array.isArray(data.events)) throw notEnvelope('data.events is missing or not a list');
  if (!data.events.every(isObject)) throw notEnvelope('data.events must contain only JSON objects (Okta LogEvents)');
  if (body.eventId !== undefined && typeof body.eventId !== 'string') throw notEnvelope('eventId is not a string');
  return { eventId: body.eventId || undefined, events: data.events };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function notEnvelope(why: string): AppError {
  return new AppError('NOT_AN_EVENT_HOOK', `not an Okta event hook delivery: ${why}`, 400);
}
