/**
 * One event's journey in the logs (issue 14 §7): intake, routing, the outbox and the chat's answer each log
 * through a child logger bound to the event's id (the Okta `uuid`, or `asa:<id>`), so `grep <id>` follows it
 * from the hook to the post. Those lines are at debug: at info the hot path (Okta's hook, a 10k burst) makes
 * no per-event log call at all, so callers ask `tracing(log)` once per batch before building children.
 */
import type { Logger } from 'pino';
import type { Card } from './cards/card.ts';
import type { EventRecord } from './domain/records.ts';

/** how many of a card's event ids its lines carry (a digest can be built from thousands) */
const MAX_CARD_EVENTS = 20;

/** whether per-event lines are written at all (LOG_LEVEL=debug or trace) */
export function tracing(log: Logger): boolean {
  return log.isLevelEnabled('debug');
}

/** the logger for one stored event's lines: its id and Okta event type */
export function eventLog(log: Logger, record: Pick<EventRecord, 'id' | 'type'>): Logger {
  return log.child({ event: record.id, type: record.type });
}

/** the logger for one card's lines: the event it was built from, or the first of several and how many */
export function cardLog(log: Logger, card: Pick<Card, 'eventIds' | 'kind'>): Logger {
  const ids = card.eventIds;
  if (ids.length === 1) return log.child({ event: ids[0], card: card.kind });
  const more = ids.length - MAX_CARD_EVENTS;
  return log.child({ events: ids.slice(0, MAX_CARD_EVENTS), ...(more > 0 ? { moreEvents: more } : {}), card: card.kind });
}
