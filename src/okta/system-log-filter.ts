/**
 * The System Log `filter` for the backfill: `eventType eq "a" or eventType eq "b" …` over the event types
 * the bot handles (GOVERNANCE_EVENT_TYPES). Okta accepts SCIM filter expressions there ("all operators
 * except [ ]", System Log API reference). Some 40 types make a ~2 kB expression, ~2.6 kB URL-encoded;
 * proxies and servers commonly refuse URLs past 4–8 kB, so expressions longer than `maxLength` are split
 * into several queries, each a complete filter on its own. Pure.
 *
 * Okta Privileged Access audit events are read by prefix instead (`eventType sw "pam."`): `sw` is one of the
 * SCIM operators the System Log accepts, and Okta's reference shows it on eventType ("Events that start with
 * event_hook": `filter=eventType sw "event_hook"`).
 */

/** default longest expression (before URL encoding) per query */
export const MAX_FILTER_LENGTH = 1500;

const EVENT_TYPE_TEXT = /^[A-Za-z0-9_.-]+$/;

export function eventTypeFilters(types: readonly string[], maxLength = MAX_FILTER_LENGTH): string[] {
  const filters: string[] = [];
  let current = '';
  for (const type of [...new Set(types)]) {
    if (!EVENT_TYPE_TEXT.test(type)) throw new Error(`not an Okta event type: ${JSON.stringify(type)}`);
    const term = `eventType eq "${type}"`;
    const joined = current === '' ? term : `${current} or ${term}`;
    if (joined.length > maxLength && current !== '') {
      filters.push(current);
      current = term;
    } else {
      current = joined;
    }
  }
  if (current !== '') filters.push(current);
  return filters;
}

/** every event type starting with `prefix`: `eventType sw "pam."` */
export function eventTypePrefixFilter(prefix: string): string {
  if (!EVENT_TYPE_TEXT.test(prefix)) throw new Error(`not an Okta event type prefix: ${JSON.stringify(prefix)}`);
  return `eventType sw "${prefix}"`;
}
