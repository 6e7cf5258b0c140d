/**
 * Default routing (SPEC §5): which cards a newly stored record turns into. Pure: everything it needs
 * beyond the record comes from the store's in-memory indexes through RouteContext. Records that get no
 * card are still stored and counted (campaign totals, /oig queries).
 */
import type { DecisionRecord, EventRecord, RemediationRecord } from '../domain/records.ts';
import { needsManualRemediation } from '../domain/records.ts';
import { buildAccessRequestCard, isRequestLifecycle } from '../cards/access-request-card.ts';
import { buildAccessReviewCard } from '../cards/access-review-card.ts';
import { buildAsaCard } from '../cards/asa-card.ts';
import { buildCampaignCard } from '../cards/campaign-card.ts';
import type { Card } from '../cards/card.ts';
import { buildDecisionCard } from '../cards/decision-card.ts';
import { buildManualRemediationCard } from '../cards/manual-remediation-card.ts';
import { buildRemediationCard } from '../cards/remediation-card.ts';
import { buildSystemAlertCard } from '../cards/system-alert-card.ts';
import type { RouteContext } from './route-context.ts';

const isRevoke = (decision: string | undefined): boolean => decision?.toUpperCase() === 'REVOKE';

/** Campaign lifecycle actions that get a card; `update` is frequent and says little (SPEC §5). */
const CAMPAIGN_CARD_ACTIONS = new Set(['launch', 'close']);

export function cardsFor(record: EventRecord, ctx: RouteContext): Card[] {
  switch (record.kind) {
    case 'decision':
      return decisionCards(record, ctx);
    case 'remediation':
      return remediationCards(record, ctx);
    case 'campaign':
      if (!CAMPAIGN_CARD_ACTIONS.has(record.action)) return [];
      return [buildCampaignCard(record, ctx.campaignTotals(record.campaign))];
    case 'access_request':
      // condition.*, sequence.* and settings.update configure requests; they are not a request.
      if (!isRequestLifecycle(record.action)) return [];
      return [buildAccessRequestCard(record, record.request !== undefined ? ctx.requestEvents(record.request) : [])];
    case 'access_review':
      return [buildAccessReviewCard(record)];
    case 'system_alert':
      return [buildSystemAlertCard(record)];
    case 'asa':
      return record.notable === true ? [buildAsaCard(record)] : [];
    case 'other':
    case 'unparsed':
      return [];
  }
}

/** Only REVOKE is posted; APPROVE / NORESPONSE / UNREVIEWED / DELEGATE are counted in digests (SPEC §5). */
function decisionCards(d: DecisionRecord, ctx: RouteContext): Card[] {
  if (!isRevoke(d.decision)) return [];
  // Delivery may be out of order (SPEC §3): a late, older decision must not overwrite the newer card.
  const latest = d.item !== undefined ? ctx.decisionFor(d.item) : undefined;
  if (latest && latest.id !== d.id && Date.parse(latest.at) > Date.parse(d.at)) return [];
  return [buildDecisionCard(d)];
}

function remediationCards(r: RemediationRecord, ctx: RouteContext): Card[] {
  const decision = r.item !== undefined ? ctx.decisionFor(r.item) : undefined;
  const manual = needsManualRemediation(r);
  const cards: Card[] = [];
  if (decision) {
    // Reply under the decision card and update it in place; a non-REVOKE decision has no card to reply to.
    if (isRevoke(decision.decision)) {
      cards.push(buildRemediationCard(r, { inThread: true }), buildDecisionCard(decision, r));
    }
  } else if (!manual && (r.decision === undefined || isRevoke(r.decision))) {
    // No decision stored (hook set up mid-campaign, or out of order): say it on its own. When manual work
    // is needed the manual card below already says all of it, so one card is enough.
    cards.push(buildRemediationCard(r, { inThread: false }));
  }
  // Regardless of the decision: a NORESPONSE item the campaign removes automatically can be SKIPPED too.
  if (manual) cards.push(buildManualRemediationCard(r, decision ? { decision } : {}));
  return cards;
}
