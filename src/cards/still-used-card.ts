/**
 * "Revoked but still used" (issue 12 §4): the person a REVOKE decision took access from used ASA/OPA after
 * it. Posted as a reply in the thread of the item's manual-remediation task or decision card, and edited in
 * place (same key) as further uses come in: one message per revoke, with a count, never one per login.
 *
 * Family CERTIFICATION: the finding contradicts a review decision and the people who own that decision act
 * on it; it lands in the decision's (or task's) thread wherever that is, and only when that message was never
 * posted (history, a digest) does the family pick the channel — the certification channel, where the revoke
 * was announced, rather than the ASA channel's stream of routine audit events.
 */
import type { Party } from '../domain/records.ts';
import { howText } from '../correlate/still-used-match.ts';
import type { RevokeWatch, StillUsedUse } from '../correlate/still-used-watch.ts';
import type { Card } from './card.ts';
import { MAX_TITLE, campaignText, clip, facts, notes, partyShort, partyText, resourceShort, resourceText, timeText } from './format.ts';
import { stillUsedKey } from './keys.ts';
import { inertLine } from './untrusted-text.ts';

/** one line for a use: "alice logged in to web-01 (project prod)" */
export function useText(u: StillUsedUse): string {
  return u.record.text?.trim() || [u.kind, u.record.user, u.record.server].filter(Boolean).join(' · ');
}

/** "strong — the event names group prod-ssh, the revoked group" / "by name only — ASA user alice = …" */
export function matchText(u: StillUsedUse, person: Party): string {
  const identity = howText(u.how, u.record.user, person);
  return u.evidence ? `strong — ${u.evidence} (${identity})` : `by name only — ${identity}; the revoked group is not named by the event`;
}

export interface StillUsedCardOptions {
  /** the message to reply under: the item's task card when one exists, else its decision card */
  threadKey: string;
}

export function buildStillUsedCard(w: RevokeWatch, o: StillUsedCardOptions): Card | undefined {
  const { decision: d, last, first, best } = w;
  if (!last || !first || !best) return undefined;
  const strong = w.strong > 0;
  const count = w.uses === 1 ? 'once' : `${w.uses} times (${w.strong} strong), first ${timeText(first.record.at) ?? first.record.at}`;
  const next = strong
    ? `The revoked group still reaches this in ASA/OPA. Check that ${partyShort(d.principal)} is out of ${resourceShort(d.resource)} in Okta and that the group push to ASA/OPA has run; else remove them in ASA/OPA.`
    : `The person still uses ASA/OPA after the revoke, perhaps through another group. Check which group gives them ${last.record.server ? inertLine(last.record.server) : 'this access'} and whether that is intended.`;
  const shared =
    w.sharedWith.length > 0
      ? `The same ASA/OPA user name also matches the revoke of ${w.sharedWith.slice(0, 3).map(inertLine).join(', ')}: the name alone cannot tell them apart (set ASA_USER_MAP).`
      : undefined;
  return {
    kind: 'still_used',
    family: 'CERTIFICATION',
    severity: strong ? 'danger' : 'warning',
    title: clip(`Revoked but still used: ${partyShort(d.principal)} · ${resourceShort(d.resource)}`, MAX_TITLE),
    facts: facts(
      ['Used', `${last.kind}: ${useText(last)}`],
      ['When', timeText(last.record.at)],
      ['Where', w.servers.length > 0 ? w.servers.join(', ') : undefined],
      ['Uses since the revoke', count],
      ['Match', matchText(best, w.person)],
      ['Principal', partyText(d.principal)],
      ['Revoked', `${resourceText(d.resource)} at ${timeText(d.at) ?? d.at}`],
      ['Campaign', campaignText(d.campaign)],
    ),
    notes: notes(next, shared),
    key: stillUsedKey(d),
    threadKey: o.threadKey,
    eventIds: [d.id, ...(first === last ? [last.record.id] : [first.record.id, last.record.id])],
    at: last.record.at,
  };
}
