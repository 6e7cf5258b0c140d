/**
 * The login of a revoked person, when the decision does not name it. Okta's certification events name the
 * reviewed person by Okta id and display name (`campaignItemPrincipalId/Name`, SPEC §4); a login comes only
 * from a User target, when the event has one. Without a login an ASA user cannot be matched by name
 * (still-used-match.ts), so a revoke without one borrows the login that an earlier record of the log gave
 * the same Okta id: an access request for the person, another decision with a User target, an OPA event.
 * Earlier in the log only, so the index stays a function of the records in log order (a rebuild at start
 * decides the same as the live fold did).
 */
import type { EventRecord, Party } from '../domain/records.ts';
import type { EventStore } from '../store/event-store.ts';
import { pos } from './log-order.ts';

/** records of the person looked at, newest first, before giving up (a busy ASA user has thousands) */
const MAX_LOOKED_AT = 500;

/** where a record names a person with a login */
const PARTIES = ['principal', 'requestedFor', 'requester', 'actor'] as const;

export function withKnownLogin(p: Party, before: number, store: Pick<EventStore, 'lookup'>): Party {
  if (p.login !== undefined || p.id === undefined) return p;
  const id = p.id.toLowerCase();
  const records = store.lookup('principal', p.id);
  let looked = 0;
  for (let i = records.length - 1; i >= 0 && looked < MAX_LOOKED_AT; i--) {
    const r = records[i]!;
    if (!(pos(r) < before)) continue;
    looked++;
    const login = loginFor(r, id);
    if (login !== undefined) return { ...p, login };
  }
  return p;
}

function loginFor(r: EventRecord, id: string): string | undefined {
  const fields = r as unknown as Partial<Record<(typeof PARTIES)[number], Party | undefined>>;
  for (const f of PARTIES) {
    const party = fields[f];
    if (party?.login && party.id?.toLowerCase() === id) return party.login;
  }
  return undefined;
}
