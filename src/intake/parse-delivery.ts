import type { EventRecord, Source } from '../domain/records.ts';
import { AppError } from '../errors.ts';
import { normalizeEvent } from '../normalize/index.ts';
import { parseEnvelope } from '../okta/envelope.ts';

/** A hook delivery made ready for the store: its records, oldest first, and their JSON for the event log. */
export interface ParsedDelivery {
  eventId?: string;
  count: number;
  /** JSON text of the records array, exactly as the write-ahead log stores it */
  recordsJson: string;
  /** one line each for the log: events stored raw, or stamped with the receive time */
  warnings: Array<{ id: string; type: string; warning: string }>;
}

export type ParseOutcome = { ok: true; delivery: ParsedDelivery } | { ok: false; code: string; message: string; status: number };

/**
 * Body bytes → records: JSON parse, envelope check (SPEC §3), normalize every event (SPEC §4), order by
 * `published`. Pure and synchronous, so it can run in a worker thread (normalize-pool.ts) off the event
 * loop that answers Okta. Bad input is an outcome, not an exception, because it crosses a thread boundary.
 */
export function parseDelivery(body: Uint8Array, source: Source): ParseOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return { ok: false, code: 'NOT_JSON', message: 'the body is not valid JSON', status: 400 };
  }
  try {
    const { eventId, events } = parseEnvelope(parsed);
    const warnings: ParsedDelivery['warnings'] = [];
    const records: EventRecord[] = events.map((raw) => {
      const { record, warning } = normalizeEvent(raw, source);
      if (warning) warnings.push({ id: record.id, type: record.type, warning });
      return record;
    });
    sortByTime(records);
    return { ok: true, delivery: { eventId, count: records.length, recordsJson: JSON.stringify(records), warnings } };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, code: e.code, message: e.message, status: e.status };
    throw e;
  }
}

/** Okta may deliver out of order (SPEC §3): store and route in the order things happened */
export function sortByTime(records: EventRecord[]): void {
  records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
