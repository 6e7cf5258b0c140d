import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';

export interface EnvelopeBody {
  eventType: 'com.okta.event_hook';
  eventTypeVersion: string;
  cloudEventsVersion: string;
  source: string;
  eventId: string;
  eventTime: string;
  contentType: string;
  data: { events: unknown[] };
}

const BATCH = 50;

/** Turns what a user saved (an envelope, one LogEvent, or a list of them) into hook deliveries. */
export function toDeliveries(payload: unknown, now = new Date()): EnvelopeBody[] {
  if (isObject(payload) && isObject(payload.data) && Array.isArray(payload.data.events)) {
    return [payload as unknown as EnvelopeBody];
  }
  // anything else that is an object is taken as one LogEvent: the bot stores odd events raw rather than refuse them
  const events = Array.isArray(payload) ? payload : isObject(payload) ? [payload] : undefined;
  if (!events) throw new AppError('REPLAY_UNKNOWN_PAYLOAD', 'the file holds neither an event hook envelope, nor a LogEvent, nor a list of LogEvents', 400);
  const out: EnvelopeBody[] = [];
  for (let i = 0; i < events.length; i += BATCH) out.push(envelopeOf(events.slice(i, i + BATCH), now));
  return out;
}

export function envelopeOf(events: unknown[], now = new Date()): EnvelopeBody {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'oig-chatops replay',
    eventId: randomUUID(),
    eventTime: now.toISOString(),
    contentType: 'application/json',
    data: { events },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
