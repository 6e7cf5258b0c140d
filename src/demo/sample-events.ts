import { randomUUID } from 'node:crypto';

/**
 * The bundled samples `npm run demo` replays: a whole access certification campaign (with a SKIPPED
 * remediation), two access requests, a security access review and a rate-limit warning, shaped like
 * Okta's LogEvents (SPEC §4 debugData keys). Times are spread over the last hour so cards read naturally.
 */
interface Who {
  id: string;
  name: string;
  login: string;
  type?: string;
}

const person = (id: string, name: string): Who => ({ id, name, login: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
const ADA = person('00udemoAdaAdmin0001', 'Ada Admin');
const RITA = person('00udemoRitaReview01', 'Rita Reviewer');
const [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GRACE] = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace'].map((n, i) =>
  person(`00udemo${n.padEnd(10, '0')}0${i}`, `${n} Example`),
) as [Who, Who, Who, Who, Who, Who, Who];
/**
 * Certification events name a person by Okta id and name only: the demo ties Erin to the demo ASA server's
 * user "erin" the way an operator would (docs/asa.md, ASA_USER_MAP), so her use of ASA after her revoke is
 * flagged ("revoked but still used").
 */
export const DEMO_ASA_USER_MAP = `${ERIN.id}=erin`;
const OKTA: Who = { id: '0oademoOktaSystem01', name: 'Okta System', login: 'system@okta.com', type: 'SystemPrincipal' };
const WORKFLOWS: Who = { id: '00udemoSvcWorkflow1', name: 'svc-workflows', login: 'svc-workflows@example.com' };
const SALESFORCE = { id: '0oademoSalesforce01', name: 'Salesforce', type: 'APPLICATION' };
const NETSUITE = { id: '0oademoNetSuite0001', name: 'NetSuite', type: 'APPLICATION' };
const FINANCE = { id: '00gdemoFinanceAdmin', name: 'Finance Admins', type: 'GROUP' };
const CAMPAIGN = { campaignId: 'icidemoQ4Review0001', campaignTemplateName: 'Q4 Salesforce and Finance review' };

type Resource = typeof SALESFORCE;

interface EventSpec {
  type: string;
  actor: Who;
  message: string;
  data: Record<string, string>;
  outcome?: string;
  reason?: string;
  workflows?: boolean;
  targets?: Array<{ id: string; type: string; alternateId?: string; displayName?: string }>;
}

function logEvent(spec: EventSpec, published: Date): Record<string, unknown> {
  return {
    uuid: randomUUID(),
    published: published.toISOString(),
    eventType: spec.type,
    version: '0',
    severity: 'INFO',
    displayMessage: spec.message,
    actor: { id: spec.actor.id, type: spec.actor.type ?? 'User', alternateId: spec.actor.login, displayName: spec.actor.name },
    client: { userAgent: { rawUserAgent: spec.workflows ? 'Azuqua' : 'Mozilla/5.0 (demo)' } },
    outcome: { result: spec.outcome ?? 'SUCCESS', reason: spec.reason ?? null },
    target: spec.targets ?? [],
    debugContext: { debugData: { requestId: randomUUID(), ...spec.data } },
  };
}

function item(principal: Who, resource: Resource, n: number, extra: Record<string, string>): Record<string, string> {
  return {
    ...CAMPAIGN,
    campaignItemId: `icidemoItem${String(n).padStart(8, '0')}`,
    campaignItemPrincipalId: principal.id,
    campaignItemPrincipalName: principal.name,
    campaignItemResourceId: resource.id,
    campaignItemResourceName: resource.name,
    campaignItemResourceType: resource.type,
    campaignItemReviewerId: RITA.id,
    campaignItemReviewerName: RITA.name,
    ...extra,
  };
}

const decide = (p: Who, r: Resource, n: number, decision: string, notes = '', by = RITA, workflows = false): EventSpec => ({
  type: 'certification.campaign.item.decide',
  actor: by,
  message: 'Campaign item decision',
  workflows,
  data: item(p, r, n, { campaignItemDecision: decision, ...(notes ? { campaignItemDecisionNotes: notes } : {}) }),
});

const remediate = (p: Who, r: Resource, n: number, outcome: string, status: string, reason?: string): EventSpec => ({
  type: 'certification.campaign.item.remediate',
  actor: OKTA,
  message: 'Campaign item remediation',
  outcome,
  reason,
  data: item(p, r, n, { campaignItemDecision: 'REVOKE', campaignItemRemediation: 'DENY', campaignItemRemediationStatus: status }),
});

const request = (action: string, id: string, subject: string, who: Who, by: Who, outcome = 'SUCCESS'): EventSpec => ({
  type: `access.request.${action}`,
  actor: by,
  message: `Access request ${action}`,
  outcome,
  data: { accessRequestId: id, accessRequestSubject: subject, requesterId: who.id, requestedForId: who.id, requestedResourceId: SALESFORCE.id, requestedResourceType: 'APPLICATION' },
  targets: [
    { id: who.id, type: 'User', alternateId: who.login, displayName: who.name },
    { id: SALESFORCE.id, type: 'AppInstance', alternateId: SALESFORCE.name, displayName: SALESFORCE.name },
  ],
});

/** the scenario, in the order things happen */
const SCENARIO: EventSpec[] = [
  { type: 'certification.campaign.launch', actor: ADA, message: 'Campaign launched', data: CAMPAIGN },
  decide(ALICE, SALESFORCE, 1, 'APPROVE'),
  decide(BOB, SALESFORCE, 2, 'APPROVE'),
  decide(CAROL, FINANCE, 3, 'APPROVE'),
  decide(DAVE, SALESFORCE, 4, 'REVOKE', 'Moved from Sales to Support in October'),
  remediate(DAVE, SALESFORCE, 4, 'SUCCESS', 'SUCCESS'),
  decide(ERIN, FINANCE, 5, 'REVOKE', 'Contractor, contract ended <!channel>'),
  remediate(ERIN, FINANCE, 5, 'SKIPPED', 'MANUAL', 'Membership is managed by a group rule'),
  decide(FRANK, NETSUITE, 6, 'REVOKE', 'Flagged by the quarterly SoD flow', WORKFLOWS, true),
  remediate(FRANK, NETSUITE, 6, 'SKIPPED', 'MANUAL', 'The application is assigned through a group'),
  decide(GRACE, NETSUITE, 7, 'NORESPONSE', '', OKTA),
  { type: 'certification.campaign.close', actor: ADA, message: 'Campaign closed', data: CAMPAIGN },
  request('create', 'reqdemoGithub000001', 'Grace Example requests Salesforce (Sales User) for the Q1 forecast', GRACE, GRACE),
  request('resolve', 'reqdemoGithub000001', 'Grace Example requests Salesforce (Sales User) for the Q1 forecast', GRACE, RITA),
  request('create', 'reqdemoAdmin0000002', 'Bob Example requests Salesforce (System Administrator)', BOB, BOB),
  request('reject', 'reqdemoAdmin0000002', 'Bob Example requests Salesforce (System Administrator)', BOB, RITA),
  {
    type: 'access.review.action',
    actor: RITA,
    message: 'Security access review action',
    data: { securityAccessReviewId: 'sardemoReview000001', securityAccessReviewName: 'Security review for Frank Example', principalId: FRANK.id, resourceId: NETSUITE.id, resourceName: NETSUITE.name, resourceType: 'APPLICATION', decision: 'REVOKE' },
    targets: [{ id: FRANK.id, type: 'User', alternateId: FRANK.login, displayName: FRANK.name }],
  },
  {
    type: 'system.org.rate_limit.warning',
    actor: OKTA,
    message: 'Rate limit warning',
    data: { rateLimitScopeType: 'ORG', threshold: '600', timeSpan: '1', timeUnit: 'MINUTES', warningPercent: '90', rateLimitSecondsToReset: '34' },
    targets: [{ id: '/api/v1/users', type: 'URL Pattern' }],
  },
];

/** the scenario as LogEvents, the first an hour ago, one minute or so apart, oldest first */
export function sampleEvents(now = new Date()): Array<Record<string, unknown>> {
  const step = 3_600_000 / SCENARIO.length;
  return SCENARIO.map((spec, i) => logEvent(spec, new Date(now.getTime() - 3_600_000 + i * step)));
}
