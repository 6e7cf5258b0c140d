/**
 * What the "revoked but still used" index keeps per watched revoke (src/correlate/still-used-index.ts),
 * shared with the card builder and /oig. Uses are kept as counts plus a few examples, not all of them:
 * a service account logging in every minute must not grow memory for ever.
 */
import type { AsaRecord, DecisionRecord, Party } from '../domain/records.ts';
import type { MatchHow, NameClaim } from './still-used-match.ts';

/** one use of ASA/OPA after the revoke, by the revoked person */
export interface StillUsedUse {
  record: AsaRecord;
  /** what kind of use: "server login", "credentials issued" … */
  kind: string;
  how: MatchHow;
  /** why it ties to the revoked group, when it does ("strong"); absent: by name only */
  evidence?: string;
}

/** a REVOKE decision whose person is watched in ASA/OPA */
export interface RevokeWatch {
  decision: DecisionRecord;
  /** the revoked person as matched: the decision's principal, with the login an earlier record gave them when it names none */
  person: Party;
  claims: NameClaim[];
  /** false once a newer decision for the same person and resource replaced it (no new uses are added) */
  active: boolean;
  /** uses after the revoke, and how many of them were tied strongly */
  uses: number;
  strong: number;
  first?: StillUsedUse;
  last?: StillUsedUse;
  /** the most telling use: strong before name-only, then the most exact identity match, then the newest */
  best?: StillUsedUse;
  /** the newest uses, oldest first (at most RECENT_USES) */
  recent: StillUsedUse[];
  /** servers (or projects) used, first seen first, at most MAX_SERVERS */
  servers: string[];
  /** other revoked people (logins) whom the same ASA/OPA user name matched: the name cannot tell them apart */
  sharedWith: string[];
}

export const RECENT_USES = 20;
export const MAX_SERVERS = 10;

/** what /oig stats counts, kept current (no scan per call) */
export interface StillUsedTotals {
  /** revokes watched now */
  watched: number;
  /** of which name no login and have no ASA_USER_MAP entry: ASA user names cannot be matched to them (OPA's Okta ids can) */
  noAsaName: number;
  /** revokes with at least one use after them */
  revokesUsed: number;
  /** uses after a revoke (one per revoke and event) */
  uses: number;
  /** of which tied to the revoked group */
  strong: number;
  /** of which were history (stored late, not posted) */
  history: number;
  lastUseAt?: string;
}

/** what /oig reads */
export interface StillUsedReader {
  /** the revokes of a person (Okta id, login, display name or matched ASA/OPA user name; any case) that were used after */
  forPerson(key: string): readonly RevokeWatch[];
  totals(): StillUsedTotals;
}
