/**
 * The 6 access.review.* events (security access reviews, SPEC §4). Okta's catalog names their debugData
 * schemas (IgaSecurityAccessReviewDebugData, IgaSecurityAccessReviewerDebugData,
 * IgaSecurityAccessRemediationDebugData) but publishes neither the keys nor a sample. The keys below are
 * therefore tolerant guesses in the style of the certification keys, with the targets as the fallback:
 * a review target (type containing "review"), the reviewed User, the AppInstance/Group resource.
 */
import type { AccessReviewRecord, Party, Resource } from '../domain/records.ts';
import { ACCESS_REVIEW_PREFIX } from '../okta/event-types.ts';
import type { Base } from './base.ts';
import { compactMerge, nonEmpty } from './compact.ts';
import { actionOf, debugData, partyWithId, pick, type RawEvent } from './fields.ts';
import { namedTarget, resourceTarget, userTarget } from './targets.ts';

const REVIEW_ID_KEYS = ['securityAccessReviewId', 'accessReviewId', 'reviewId'];
const REVIEW_NAME_KEYS = ['securityAccessReviewName', 'accessReviewName', 'reviewName'];
const PRINCIPAL_ID_KEYS = ['principalId', 'reviewedUserId', 'targetUserId'];
/** access.review.action records the reviewer's intended action; access.review.remediate its terminal state. */
const DECISION_KEYS = ['decision', 'reviewerDecision', 'action', 'actionType'];
const RESULT_KEYS = ['remediationStatus', 'remediationResult', 'status'];

export function normalizeAccessReview(raw: RawEvent, base: Base): AccessReviewRecord {
  const data = debugData(raw);
  const action = actionOf(base.type, ACCESS_REVIEW_PREFIX);

  const reviewId = pick(data, ...REVIEW_ID_KEYS);
  const reviewTarget = namedTarget(raw, /review/i, reviewId);

  const principalId = pick(data, ...PRINCIPAL_ID_KEYS);
  const known =
    principalId === undefined ? userTarget(raw, undefined, [base.actor?.id]) : partyWithId(raw, principalId);
  const principal = nonEmpty<Party>({ ...known, id: principalId ?? known?.id });

  const resourceId = pick(data, 'resourceId');
  const target = resourceTarget(raw, resourceId);
  const resource = nonEmpty<Resource>({
    id: resourceId ?? target?.id,
    name: pick(data, 'resourceName') ?? target?.name,
    type: pick(data, 'resourceType') ?? target?.type,
  });

  const decision = action === 'remediate' ? pick(data, ...RESULT_KEYS, ...DECISION_KEYS) : pick(data, ...DECISION_KEYS);
  return compactMerge(base, {
    kind: 'access_review' as const,
    family: 'access_review' as const,
    action,
    review: { id: reviewId ?? reviewTarget?.id, name: pick(data, ...REVIEW_NAME_KEYS) ?? reviewTarget?.name },
    principal,
    resource,
    decision: decision?.toUpperCase(),
  });
}
