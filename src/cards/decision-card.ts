/**
 * The card for a review decision (SPEC §5: REVOKE decisions get one). Rebuilt with a remediation status
 * once Okta reports what it did, under the same key so the adapters update the message in place.
 */
import type { DecisionRecord, RemediationRecord } from '../domain/records.ts';
import type { Card, Severity } from './card.ts';
import {
  MAX_TITLE, campaignText, clip, facts, latestAt, notes, partyShort, partyText, resourceShort, resourceText,
  timeText, workflowsText,
} from './format.ts';
import { decisionKey } from './keys.ts';
import { summarizeRemediation } from './remediation-status.ts';

const TITLES: Record<string, string> = {
  REVOKE: 'Access revoked',
  APPROVE: 'Access approved',
  DELEGATE: 'Review delegated',
  NORESPONSE: 'No response',
  UNREVIEWED: 'Not reviewed',
};

export function decisionTitle(decision: string | undefined): string {
  const known = decision ? TITLES[decision.toUpperCase()] : undefined;
  return known ?? `Decision ${decision || 'unknown'}`;
}

/**
 * @param remediation the latest remediation of the same item, when there is one: adds the status line
 */
export function buildDecisionCard(d: DecisionRecord, remediation?: RemediationRecord): Card {
  const summary = remediation ? summarizeRemediation(remediation) : undefined;
  const isRevoke = d.decision?.toUpperCase() === 'REVOKE';
  // A revoke is worth a look until Okta confirms the removal; then the remediation decides the colour.
  const severity: Severity = summary?.severity ?? (isRevoke ? 'warning' : 'info');
  return {
    kind: 'decision',
    family: 'CERTIFICATION',
    severity,
    title: clip(`${decisionTitle(d.decision)}: ${partyShort(d.principal)} · ${resourceShort(d.resource)}`, MAX_TITLE),
    facts: facts(
      ['Principal', partyText(d.principal)],
      ['Resource', resourceText(d.resource)],
      ['Campaign', campaignText(d.campaign)],
      ['Reviewer', d.reviewer ? partyText(d.reviewer) : undefined],
      ['Decided at', timeText(d.at)],
      ['Automation', workflowsText(d)],
      ['Remediation', summary ? `${summary.label} — ${summary.meaning}` : undefined],
    ),
    notes: notes(d.notes),
    key: decisionKey(d),
    eventIds: remediation ? [d.id, remediation.id] : [d.id],
    at: remediation ? latestAt(d.at, remediation.at) : d.at,
  };
}
