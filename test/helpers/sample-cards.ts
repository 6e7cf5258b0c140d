/**
 * One card of every kind, built by the real builders from the shared test records, and the digest views
 * they need: what the Slack and Teams renderer tests both render (and snapshot).
 */
import { buildAccessRequestCard } from '../../src/cards/access-request-card.ts';
import { buildAccessReviewCard } from '../../src/cards/access-review-card.ts';
import { buildAsaCard } from '../../src/cards/asa-card.ts';
import { buildCampaignCard } from '../../src/cards/campaign-card.ts';
import type { Card } from '../../src/cards/card.ts';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { buildDigestCard, buildDigestPartCard, buildManualDigestCard, type DigestItem, type DigestView } from '../../src/cards/digest-card.ts';
import { buildManualRemediationCard } from '../../src/cards/manual-remediation-card.ts';
import { buildRemediationCard } from '../../src/cards/remediation-card.ts';
import { summarizeRemediation } from '../../src/cards/remediation-status.ts';
import { buildSystemAlertCard } from '../../src/cards/system-alert-card.ts';
import {
  accessRequest, accessReview, alice, asa, campaign, decision, financeGroup, remediation, salesforce, skipped, svcWorkflows, systemAlert,
} from './records.ts';

/** one revoked item of a digest; every third has an untrusted note, every fourth a SKIPPED remediation */
export const digestItem = (i: number, over: Partial<DigestItem> = {}): DigestItem => ({
  item: `I${i}`,
  principal: { id: `00u${i}`, name: `User ${i}`, login: `user${i}@example.com` },
  resource: i % 2 ? salesforce : financeGroup,
  reviewer: { name: 'Rita Reviewer', login: 'rita@example.com' },
  decision: 'REVOKE',
  notes: i % 3 === 0 ? `Left in April & moved <${i}>` : undefined,
  remediation: i % 4 === 0 ? summarizeRemediation(skipped({ item: `I${i}` })) : i % 4 === 1 ? summarizeRemediation(remediation()) : undefined,
  ...over,
});

/** a digest of `n` revoked items */
export function digestView(n: number, over: Partial<DigestView> = {}): DigestView {
  return {
    key: 'digest:icicmp1:abc',
    campaign: { id: 'icicmp1', name: 'Q2 access review' },
    events: n * 3,
    decisions: { REVOKE: n, NORESPONSE: n * 2 },
    remediations: { SUCCESS: n, SKIPPED: Math.floor(n / 4) },
    firstAt: '2024-05-02T09:30:00.000Z',
    lastAt: '2024-05-02T09:31:00.000Z',
    items: Array.from({ length: n }, (_, i) => digestItem(i)),
    unlisted: 0,
    totals: { decisions: { REVOKE: n, NORESPONSE: n * 2 }, remediations: { SUCCESS: n }, items: n * 3 },
    ...over,
  };
}

export const CAMPAIGN_TOTALS = { decisions: { APPROVE: 10, REVOKE: 3, NORESPONSE: 4 }, remediations: { SUCCESS: 2, SKIPPED: 1 }, items: 17 };

/** every card kind, by a readable name; `owner`: who claimed and finished the manual tasks */
export function sampleCards(owner = 'Alice Example'): Record<string, Card> {
  return {
    'decision (REVOKE)': buildDecisionCard(decision()),
    'decision with its remediation': buildDecisionCard(decision(), remediation()),
    'decision via Okta Workflows': buildDecisionCard(decision({ wf: { owner: svcWorkflows } })),
    'remediation (thread reply)': buildRemediationCard(remediation(), { inThread: true }),
    'remediation (standalone)': buildRemediationCard(remediation(), { inThread: false }),
    'manual remediation (open)': buildManualRemediationCard(skipped({ resource: financeGroup }), { decision: decision() }),
    'manual remediation (claimed)': buildManualRemediationCard(skipped(), { task: { state: 'claimed', owner, at: '2024-05-02T10:00:00.000Z' } }),
    'manual remediation (done)': buildManualRemediationCard(skipped(), { task: { state: 'done', owner, at: '2024-05-02T11:00:00.000Z' } }),
    'campaign closed': buildCampaignCard(campaign('close'), CAMPAIGN_TOTALS),
    'access request (resolved)': buildAccessRequestCard(accessRequest('resolve'), [accessRequest('create')]),
    'access review': buildAccessReviewCard(accessReview('action', { principal: alice, resource: salesforce, decision: 'REVOKE' })),
    'system alert': buildSystemAlertCard(systemAlert('system.org.rate_limit.warning', { facts: { threshold: '600', warningPercent: '90' }, targets: ['URL Pattern: /api/v1/users'] })),
    asa: buildAsaCard(asa()),
    digest: buildDigestCard(digestView(6)),
    'digest detail part': buildDigestPartCard(digestView(6), 0),
    'manual digest': buildManualDigestCard(digestView(6))!,
  };
}
