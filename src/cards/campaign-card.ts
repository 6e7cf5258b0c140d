/**
 * Campaign lifecycle card (certification.campaign.launch / .close) with the totals the store has seen
 * (SPEC §5: APPROVE / NORESPONSE decisions are only counted here, never posted one by one).
 */
import type { CampaignRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import type { Card } from './card.ts';
import {
  MAX_TITLE, campaignText, clip, countsText, facts, notes, partyText, timeText, workflowsText,
} from './format.ts';

const TITLES: Record<string, string> = { launch: 'Campaign launched', close: 'Campaign closed' };
const BY: Record<string, string> = { launch: 'Launched by', close: 'Closed by' };

/** Remediation outcomes that leave work for a person (SPEC §4). */
const MANUAL_OUTCOMES = ['SKIPPED', 'FAILURE'];

function sum(counts: Record<string, number>, keys: string[]): number {
  return keys.reduce((n, k) => n + (counts[k] ?? 0), 0);
}

export function buildCampaignCard(r: CampaignRecord, totals: CampaignTotals): Card {
  const name = campaignText(r.campaign) ?? 'unnamed campaign';
  const closing = r.action === 'close';
  const manual = sum(totals.remediations, MANUAL_OUTCOMES);
  const unanswered = sum(totals.decisions, ['NORESPONSE', 'UNREVIEWED']);
  return {
    kind: 'campaign',
    family: 'CERTIFICATION',
    severity: closing && manual > 0 ? 'warning' : 'info',
    title: clip(`${TITLES[r.action] ?? `Campaign ${r.action}`}: ${name}`, MAX_TITLE),
    facts: facts(
      ['Campaign', name],
      ['Campaign id', r.campaign.name ? r.campaign.id : undefined],
      [BY[r.action] ?? 'By', r.actor ? partyText(r.actor) : undefined],
      ['Automation', workflowsText(r)],
      ['At', timeText(r.at)],
      // At launch the store has usually seen nothing yet: "Items 0" would only be noise.
      ['Items', closing || totals.items > 0 ? String(totals.items) : undefined],
      ['Decisions', countsText(totals.decisions)],
      ['Remediations', countsText(totals.remediations)],
    ),
    notes: notes(
      closing && unanswered > 0 ? `${unanswered} item(s) closed without a review decision.` : undefined,
      manual > 0 ? `${manual} remediation(s) need manual work: see /oig skipped.` : undefined,
    ),
    eventIds: [r.id],
    at: r.at,
  };
}
