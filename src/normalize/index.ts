/**
 * One raw Okta LogEvent (from an event hook or the System Log API) → one domain record.
 *
 * Pure apart from the clock, and it never throws: whatever arrives is stored (SPEC §4, "unknown types are
 * stored, not dropped"). An event we cannot read becomes kind `unparsed`, keeping the raw event and a
 * `problem`, with a one-line `warning` for the log.
 */
import type { EventRecord, Source, UnparsedRecord } from '../domain/records.ts';
import { DECIDE, REMEDIATE, familyOf, isPamEventType } from '../okta/event-types.ts';
import { EVENT_HOOK_TYPE } from '../okta/log-event.ts';
import { normalizeAccessRequest } from './access-request.ts';
import { normalizeAccessReview } from './access-review.ts';
import { baseFields, recordId, type Base } from './base.ts';
import { normalizeCampaign, normalizeDecision, normalizeRemediation } from './certification.ts';
import { compact } from './compact.ts';
import { asObject, eventTypeOf, publishedAt, type RawEvent } from './fields.ts';
import { normalizeOpa } from './opa.ts';
import { normalizeOther } from './other.ts';
import { normalizeSystemAlert } from './system.ts';

export interface Normalized {
  record: EventRecord;
  /** one line for the log: the receive time stood in for `published`, or the event could not be read */
  warning?: string;
}

function mapByType(event: RawEvent, base: Base): EventRecord {
  if (base.type === DECIDE) return normalizeDecision(event, base);
  if (base.type === REMEDIATE) return normalizeRemediation(event, base);
  // Okta Privileged Access audits (System Log `pam.*`): the same records as the ASA poller's
  if (isPamEventType(base.type)) return normalizeOpa(event, base);
  switch (familyOf(base.type)) {
    case 'certification':
      return normalizeCampaign(event, base);
    case 'access_request':
      return normalizeAccessRequest(event, base);
    case 'access_review':
      return normalizeAccessReview(event, base);
    case 'system':
      return normalizeSystemAlert(event, base);
    default:
      return normalizeOther(event, base);
  }
}

export function normalizeEvent(raw: unknown, src: Source, now: () => Date = () => new Date()): Normalized {
  const event = asObject(raw);
  if (event === undefined) return unparsed(raw, src, now, `not a LogEvent object (got ${describe(raw)})`);
  const type = eventTypeOf(event);
  if (type === undefined) return unparsed(raw, src, now, 'no eventType');
  if (type === EVENT_HOOK_TYPE) {
    return unparsed(raw, src, now, 'an event-hook envelope, not a LogEvent: normalize each of data.events');
  }
  try {
    const { base, warning } = baseFields(event, src, now);
    // mappers build compact records themselves (compactMerge)
    const record = mapByType(event, base);
    return warning === undefined ? { record } : { record, warning };
  } catch (err) {
    // A mapper bug must not lose the event: keep it raw and say what broke.
    return unparsed(raw, src, now, `could not be mapped: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}

function unparsed(raw: unknown, src: Source, now: () => Date, problem: string): Normalized {
  const event = asObject(raw);
  const type = event === undefined ? undefined : eventTypeOf(event);
  const id = recordId(raw);
  const record: UnparsedRecord = {
    ...compact({
      id,
      type: type ?? 'unknown',
      family: type === undefined ? 'other' : familyOf(type),
      at: (event === undefined ? undefined : publishedAt(event)) ?? now().toISOString(),
      src,
      kind: 'unparsed' as const,
      problem,
    }),
    // kept as received (nulls included) so it can be replayed once the mapper is fixed; JSON has no undefined
    raw: raw === undefined ? null : raw,
  };
  return { record, warning: `unparsed Okta event ${id}: ${problem}` };
}
