/**
 * certification.* events (SPEC §4): review decisions, their remediation, and the campaign lifecycle.
 *
 * Facts come from `debugData` (campaignId, campaignItemId, campaignItemDecision …). Where a key is missing we
 * fall back to the targets, but only when that is unambiguous: the User target with the principal's id (or the
 * only User target), the AppInstance/Group target with the resource's id (or the only one).
 */
import type {
  CampaignItemFacts,
  CampaignRecord,
  CampaignRef,
  DecisionRecord,
  Party,
  RemediationRecord,
  Resource,
} from '../domain/records.ts';
import type { Base } from './base.ts';
import { compactMerge, nonEmpty } from './compact.ts';
import { actorType, debugData, partyWithId, pick, type RawEvent } from './fields.ts';
import { namedTarget, resourceTarget, userTarget } from './targets.ts';

type Data = Readonly<Record<string, string>>;

/** Okta spells the campaign name both ways (SPEC §4); `campaignName` is accepted as a third spelling. */
const CAMPAIGN_NAME_KEYS = ['campaignItemTemplateName', 'campaignTemplateName', 'campaignName'];

const upper = (s: string | undefined): string | undefined => s?.toUpperCase();

export function campaignOf(raw: RawEvent, data: Data): CampaignRef {
  const id = pick(data, 'campaignId');
  const target = namedTarget(raw, /campaign/i, id);
  return { id: id ?? target?.id, name: pick(data, ...CAMPAIGN_NAME_KEYS) ?? target?.name };
}

function principalOf(raw: RawEvent, data: Data, notThese: readonly (string | undefined)[]): Party {
  const id = pick(data, 'campaignItemPrincipalId');
  const target = userTarget(raw, id, notThese);
  return { id: id ?? target?.id, name: pick(data, 'campaignItemPrincipalName') ?? target?.name, login: target?.login };
}

function resourceOf(raw: RawEvent, data: Data): Resource {
  const id = pick(data, 'campaignItemResourceId');
  const target = resourceTarget(raw, id);
  return {
    id: id ?? target?.id,
    name: pick(data, 'campaignItemResourceName') ?? target?.name,
    type: pick(data, 'campaignItemResourceType') ?? target?.type,
  };
}

/**
 * The reviewer from debugData; for a decision the actor is the reviewer (SPEC §4) — unless the actor is
 * Okta itself (SystemPrincipal, who logs NORESPONSE when a campaign closes) or the owner of an Okta Workflows
 * connection (SPEC §4: Workflows acts under that account, so the actor did not review anything).
 */
function reviewerOf(raw: RawEvent, data: Data, base: Base, actorIsReviewer: boolean): Party | undefined {
  const id = pick(data, 'campaignItemReviewerId');
  const known = partyWithId(raw, id);
  const name = pick(data, 'campaignItemReviewerName') ?? known?.name;
  const reviewer = nonEmpty<Party>({ id, name, login: known?.login });
  if (reviewer !== undefined || !actorIsReviewer || base.wf !== undefined) return reviewer;
  return actorType(raw) === 'SystemPrincipal' ? undefined : base.actor;
}

function itemFacts(raw: RawEvent, data: Data, base: Base, actorIsReviewer: boolean): CampaignItemFacts {
  const reviewer = reviewerOf(raw, data, base, actorIsReviewer);
  return {
    campaign: campaignOf(raw, data),
    item: pick(data, 'campaignItemId'),
    principal: principalOf(raw, data, [base.actor?.id, reviewer?.id]),
    resource: resourceOf(raw, data),
    reviewer,
    decision: upper(pick(data, 'campaignItemDecision')),
    notes: pick(data, 'campaignItemDecisionNotes'),
    resourceStatus: pick(data, 'campaignItemResourceStatus'),
  };
}

/** certification.campaign.item.decide: `outcome.result` is SUCCESS, or SKIPPED for a delegation (Okta catalog). */
export function normalizeDecision(raw: RawEvent, base: Base): DecisionRecord {
  const facts = itemFacts(raw, debugData(raw), base, true);
  return compactMerge(base, facts, { kind: 'decision' as const, family: 'certification' as const });
}

/** certification.campaign.item.remediate: `outcome.result` SKIPPED means Okta could not remove the access. */
export function normalizeRemediation(raw: RawEvent, base: Base): RemediationRecord {
  const data = debugData(raw);
  const facts = itemFacts(raw, data, base, false);
  return compactMerge(base, facts, {
    kind: 'remediation' as const,
    family: 'certification' as const,
    remediation: upper(pick(data, 'campaignItemRemediation')),
    status: upper(pick(data, 'campaignItemRemediationStatus')),
  });
}

/** certification.campaign.launch / .close / .update: `action` is the last part of the type. */
export function normalizeCampaign(raw: RawEvent, base: Base): CampaignRecord {
  const action = base.type.split('.').pop() ?? base.type;
  return compactMerge(base, { kind: 'campaign' as const, family: 'certification' as const, action, campaign: campaignOf(raw, debugData(raw)) });
}
