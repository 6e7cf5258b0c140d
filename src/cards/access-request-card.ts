/**
 * One card per access request (SPEC §5), rebuilt from every stored event of the request each time one
 * arrives and posted under the same key, so the message moves through create → resolve in place.
 */
import type { AccessRequestRecord, Party, Resource } from '../domain/records.ts';
import type { Card, Severity } from './card.ts';
import {
  MAX_TITLE, clip, durationText, facts, latestAt, notes, partyShort, partyText, resourceText, timeText,
} from './format.ts';
import { requestKey } from './keys.ts';

/** The request lifecycle actions; condition.*, sequence.* and settings.update are configuration events. */
const STEPS: Record<string, { verb: string; state?: { label: string; severity: Severity } }> = {
  create: { verb: 'Created', state: { label: 'Open', severity: 'info' } },
  // Okta logs a rejection as its own type (access.request.reject), so "resolve" is the granted outcome.
  resolve: { verb: 'Resolved', state: { label: 'Resolved (approved)', severity: 'success' } },
  reject: { verb: 'Rejected', state: { label: 'Rejected', severity: 'danger' } },
  cancel: { verb: 'Canceled', state: { label: 'Canceled', severity: 'info' } },
  expire: { verb: 'Expired', state: { label: 'Expired', severity: 'warning' } },
  update: { verb: 'Updated' },
};

/** Long-lived requests can collect many updates; a card shows the latest steps only. */
const MAX_HISTORY = 20;

export function isRequestLifecycle(action: string): boolean {
  return Object.hasOwn(STEPS, action);
}

function first<T>(events: AccessRequestRecord[], pick: (e: AccessRequestRecord) => T | undefined): T | undefined {
  for (const e of events) {
    const v = pick(e);
    if (v !== undefined) return v;
  }
  return undefined;
}

function byTime(a: AccessRequestRecord, b: AccessRequestRecord): number {
  const d = Date.parse(a.at) - Date.parse(b.at);
  return Number.isNaN(d) ? 0 : d;
}

function historyLine(e: AccessRequestRecord): string {
  const verb = STEPS[e.action]?.verb ?? e.action;
  const by = e.actor ? ` by ${partyShort(e.actor)}` : '';
  const wf = e.wf ? ' (via Okta Workflows)' : '';
  return `${timeText(e.at)} · ${verb}${by}${wf}`;
}

const partyOf = (p: Party | undefined): string | undefined => (p ? partyText(p) : undefined);
const resourceOf = (r: Resource | undefined): string | undefined => (r ? resourceText(r) : undefined);

/** Lifecycle events of the request, each once, in time order. */
function lifecycle(record: AccessRequestRecord, stored: AccessRequestRecord[]): AccessRequestRecord[] {
  // The store may have saved the new record before routing runs, or not yet: count it once either way.
  const byId = new Map<string, AccessRequestRecord>();
  for (const e of [...stored, record]) {
    if (isRequestLifecycle(e.action) && !byId.has(e.id)) byId.set(e.id, e);
  }
  // Array sort is stable: equal times keep store order. Delivery may be out of order (SPEC §3).
  return [...byId.values()].sort(byTime);
}

/**
 * @param stored every stored event of the request, oldest first; may or may not already hold `record`
 */
export function buildAccessRequestCard(record: AccessRequestRecord, stored: AccessRequestRecord[]): Card {
  const events = lifecycle(record, stored);
  let state = { label: 'Open', severity: 'info' as Severity };
  for (const e of events) state = STEPS[e.action]?.state ?? state;

  const created = events.find((e) => e.action === 'create');
  const last = events[events.length - 1];
  const took = created && last && state.label !== 'Open' ? Date.parse(last.at) - Date.parse(created.at) : undefined;
  const subject = first(events, (e) => e.subject?.trim() || undefined);
  const id = record.request;
  const lines = events.map(historyLine);
  const shown = lines.length > MAX_HISTORY
    ? [`… ${lines.length - MAX_HISTORY} earlier step(s)`, ...lines.slice(-MAX_HISTORY)]
    : lines;

  return {
    kind: 'access_request',
    family: 'ACCESS_REQUEST',
    severity: state.severity,
    title: clip(`Access request: ${subject ?? id ?? 'unknown'}`, MAX_TITLE),
    facts: facts(
      ['State', state.label],
      ['Requested by', partyOf(first(events, (e) => e.requester))],
      ['Requested for', partyOf(first(events, (e) => e.requestedFor))],
      ['Resource', resourceOf(first(events, (e) => e.resource))],
      ['Scope', resourceOf(first(events, (e) => e.scope))],
      // Without the create event (hook set up later) we do not know when it was created: say nothing.
      ['Created at', timeText(created?.at)],
      ['Took', took !== undefined ? durationText(took) : undefined],
      ['Request id', id],
    ),
    notes: notes(shown.length > 0 ? `History:\n${shown.join('\n')}` : undefined),
    ...(id !== undefined ? { key: requestKey(id) } : {}),
    eventIds: events.length > 0 ? events.map((e) => e.id) : [record.id],
    at: latestAt(record.at, ...events.map((e) => e.at)),
  };
}
