/**
 * What Okta did about a decision (certification.campaign.item.remediate), posted as a reply in the
 * decision card's thread (SPEC §5). Without a decision card to reply to it stands alone and then has to
 * say who and what it is about.
 */
import type { RemediationRecord } from '../domain/records.ts';
import type { Card } from './card.ts';
import {
  MAX_TITLE, campaignText, clip, facts, partyShort, partyText, resourceShort, resourceText, timeText,
  workflowsText,
} from './format.ts';
import { decisionKey } from './keys.ts';
import { summarizeRemediation } from './remediation-status.ts';

export interface RemediationCardOptions {
  /** reply in the thread of the item's decision card (only when that card exists) */
  inThread: boolean;
}

export function buildRemediationCard(r: RemediationRecord, opts: RemediationCardOptions): Card {
  const s = summarizeRemediation(r);
  const about = `${partyShort(r.principal)} · ${resourceShort(r.resource)}`;
  const standalone = opts.inThread
    ? []
    : facts(
        ['Principal', partyText(r.principal)],
        ['Resource', resourceText(r.resource)],
        ['Campaign', campaignText(r.campaign)],
        ['Decision', r.decision],
      );
  return {
    kind: 'remediation',
    family: 'CERTIFICATION',
    severity: s.severity,
    title: clip(opts.inThread ? `Remediation ${s.label}: ${s.meaning}` : `Remediation ${s.label}: ${about}`, MAX_TITLE),
    facts: [
      ...standalone,
      ...facts(
        ['Result', opts.inThread ? undefined : s.meaning],
        ['Remediation', r.remediation],
        ['Status', r.status],
        ['Outcome', r.outcome],
        ['Reason', r.reason],
        ['At', timeText(r.at)],
        ['Automation', workflowsText(r)],
      ),
    ],
    ...(opts.inThread ? { threadKey: decisionKey(r) } : {}),
    eventIds: [r.id],
    at: r.at,
  };
}
