/**
 * The "caught up" summary (issue 11: history is stored, not shouted): one message for a run of events that
 * were already old when they arrived (src/intake/history.ts), updated in place while the run goes on,
 * instead of one card each. Pure.
 */
import type { Family, Source } from '../domain/records.ts';
import type { Card, RouteFamily } from './card.ts';
import { countsText, facts, notes, timeText } from './format.ts';

/** what the catch-up stage (src/delivery/catch-up.ts) counted for one source and family */
export interface CatchUpView {
  key: string;
  source: Source;
  family: Family;
  /** events stored in this run */
  events: number;
  /** of them, those that would have been a card (notable ASA types, REVOKE decisions, alerts …) */
  notable: number;
  /** the notable ones by card kind label, e.g. {"Manual remediation task": 3} */
  byKind: Record<string, number>;
  /** event times (Okta `published`, ASA `timestamp`) of the oldest and newest event */
  firstAt: string;
  lastAt: string;
  /** when the newest of them was stored (wall clock), ISO */
  updatedAt: string;
}

const FAMILY_ROUTE: Record<Family, RouteFamily> = {
  certification: 'CERTIFICATION',
  access_request: 'ACCESS_REQUEST',
  access_review: 'ACCESS_REVIEW',
  system: 'SYSTEM',
  asa: 'ASA',
  other: 'SYSTEM',
};

const SOURCE_NAME: Record<Source, string> = { hook: 'Okta event hook', system_log: 'Okta System Log', asa: 'ASA audit log', demo: 'demo' };

/** where to look instead: the /oig command that answers for the family */
const ASK: Record<Family, string> = {
  certification: '/oig revokes, /oig skipped, /oig campaign <name>',
  access_request: '/oig requests',
  access_review: '/oig user <name>, /oig resource <name>',
  system: '/oig stats',
  asa: '/oig asa',
  other: '/oig stats',
};

export function buildCatchUpCard(v: CatchUpView): Card {
  const from = timeText(v.firstAt) ?? v.firstAt;
  const to = timeText(v.lastAt) ?? v.lastAt;
  return {
    kind: 'catch_up',
    family: FAMILY_ROUTE[v.family],
    severity: 'info',
    title: `Caught up ${v.events.toLocaleString('en-US')} ${v.family === 'asa' ? 'ASA' : v.family.replace('_', ' ')} events from ${from} to ${to}`,
    facts: facts(
      ['Source', SOURCE_NAME[v.source]],
      ['Events stored', v.events.toLocaleString('en-US')],
      ['Notable', `${v.notable.toLocaleString('en-US')}${v.notable > 0 ? ` (${countsText(v.byKind) ?? ''})` : ''}`],
      ['Period', `${from} – ${to}`],
    ),
    notes: notes(
      `These events were already more than an hour old when the bot received them, so they are stored but not posted one by one. Ask with ${ASK[v.family]}.`,
      v.byKind['Manual remediation task'] ? 'Manual-remediation tasks among them are in /oig skipped, with their buttons.' : undefined,
    ),
    key: v.key,
    eventIds: [],
    at: v.updatedAt,
  };
}
