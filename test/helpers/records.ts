/**
 * Typed domain records for card and routing tests, built directly (not through the normalizers, so these
 * tests do not depend on them), plus an in-memory RouteContext that answers from a list of records.
 */
import type {
  AccessRequestRecord, AccessReviewRecord, AsaRecord, CampaignRecord, CampaignRef, DecisionRecord, EventRecord,
  OtherRecord, Party, RemediationRecord, Resource, SystemAlertRecord, UnparsedRecord,
} from '../../src/domain/records.ts';
import type { CampaignTotals, RouteContext } from '../../src/route/route-context.ts';

export const alice: Party = { id: '00u1alice', name: 'Alice Example', login: 'alice@example.com' };
export const bob: Party = { id: '00u2bob', name: 'Bob Builder', login: 'bob@example.com' };
export const rita: Party = { id: '00u9rita', name: 'Rita Reviewer', login: 'rita@example.com' };
export const svcWorkflows: Party = { id: '00u7svc', name: 'Workflows Service', login: 'svc-workflows@example.com' };
export const salesforce: Resource = { id: '0oa1sfdc', name: 'Salesforce', type: 'APPLICATION' };
export const financeGroup: Resource = { id: '00g1fin', name: 'Finance', type: 'GROUP' };
export const q2: CampaignRef = { id: 'icicmp1', name: 'Q2 access review' };

export function decision(over: Partial<DecisionRecord> = {}): DecisionRecord {
  const item = 'item' in over ? over.item : 'ITEM1';
  return {
    kind: 'decision',
    family: 'certification',
    id: `dec-${item ?? 'noitem'}`,
    type: 'certification.campaign.item.decide',
    at: '2024-05-02T09:30:00.000Z',
    src: 'hook',
    actor: rita,
    outcome: 'SUCCESS',
    campaign: q2,
    item,
    principal: alice,
    resource: salesforce,
    reviewer: rita,
    decision: 'REVOKE',
    notes: 'Left the sales team in April.',
    ...over,
  };
}

export function remediation(over: Partial<RemediationRecord> = {}): RemediationRecord {
  const item = 'item' in over ? over.item : 'ITEM1';
  return {
    kind: 'remediation',
    family: 'certification',
    id: `rem-${item ?? 'noitem'}`,
    type: 'certification.campaign.item.remediate',
    at: '2024-05-02T09:31:00.000Z',
    src: 'hook',
    outcome: 'SUCCESS',
    campaign: q2,
    item,
    principal: alice,
    resource: salesforce,
    reviewer: rita,
    decision: 'REVOKE',
    remediation: 'DENY',
    status: 'SUCCESS',
    ...over,
  };
}

/** The remediation Okta could not carry out (SPEC §4: outcome SKIPPED). */
export function skipped(over: Partial<RemediationRecord> = {}): RemediationRecord {
  return remediation({ outcome: 'SKIPPED', status: 'MANUAL', ...over });
}

export function campaign(action: string, over: Partial<CampaignRecord> = {}): CampaignRecord {
  return {
    kind: 'campaign',
    family: 'certification',
    id: `camp-${action}`,
    type: `certification.campaign.${action}`,
    at: '2024-05-01T08:00:00.000Z',
    src: 'hook',
    actor: bob,
    outcome: 'SUCCESS',
    action,
    campaign: q2,
    ...over,
  };
}

export function accessRequest(action: string, over: Partial<AccessRequestRecord> = {}): AccessRequestRecord {
  const request = 'request' in over ? over.request : 'REQ1';
  return {
    kind: 'access_request',
    family: 'access_request',
    id: `req-${request ?? 'none'}-${action}`,
    type: `access.request.${action}`,
    at: '2024-05-03T10:00:00.000Z',
    src: 'hook',
    actor: bob,
    outcome: 'SUCCESS',
    action,
    request,
    subject: 'Salesforce access for Bob Builder',
    requester: bob,
    requestedFor: bob,
    resource: salesforce,
    ...over,
  };
}

export function accessReview(action: string, over: Partial<AccessReviewRecord> = {}): AccessReviewRecord {
  return {
    kind: 'access_review',
    family: 'access_review',
    id: `rev-${action}`,
    type: `access.review.${action}`,
    at: '2024-05-04T11:00:00.000Z',
    src: 'hook',
    actor: rita,
    outcome: 'SUCCESS',
    action,
    review: { id: 'sar1', name: 'Alice security review' },
    ...over,
  };
}

export function systemAlert(type: string, over: Partial<SystemAlertRecord> = {}): SystemAlertRecord {
  return {
    kind: 'system_alert',
    family: 'system',
    id: `sys-${type}`,
    type,
    at: '2024-05-05T12:00:00.000Z',
    src: 'hook',
    outcome: 'SUCCESS',
    ...over,
  };
}

export function asa(over: Partial<AsaRecord> = {}): AsaRecord {
  return {
    kind: 'asa',
    family: 'asa',
    id: 'asa:UD5pqjIhjKVQPmmqMiGMpQ==',
    type: 'server.enroll',
    at: '2024-05-06T13:00:00.000Z',
    src: 'asa',
    text: 'web-01 (project prod) enrolled',
    server: 'web-01',
    project: 'prod',
    ...over,
  };
}

export function other(over: Partial<OtherRecord> = {}): OtherRecord {
  return {
    kind: 'other', family: 'other', id: 'oth-1', type: 'user.session.start', at: '2024-05-07T00:00:00.000Z', src: 'hook',
    ...over,
  };
}

export function unparsed(over: Partial<UnparsedRecord> = {}): UnparsedRecord {
  return {
    kind: 'unparsed', family: 'certification', id: 'unp-1', type: 'certification.campaign.item.decide',
    at: '2024-05-07T00:00:00.000Z', src: 'hook', problem: 'debugData is not an object', raw: { debugContext: 7 },
    ...over,
  };
}

const sameCampaign = (a: CampaignRef, b: CampaignRef): boolean =>
  a.id !== undefined && b.id !== undefined ? a.id === b.id : a.name !== undefined && a.name === b.name;

/** Latest record per campaign item, in list order (the list is taken as store order). */
function latestPerItem<T extends DecisionRecord | RemediationRecord>(records: T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of records) if (r.item !== undefined) out.set(r.item, r);
  return out;
}

function countBy<T>(values: Iterable<T>, key: (v: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const k = key(v);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** A RouteContext over a fixed list of stored records: what the store's indexes would answer. */
export function contextOf(records: EventRecord[]): RouteContext {
  const decisions = records.filter((r): r is DecisionRecord => r.kind === 'decision');
  const remediations = records.filter((r): r is RemediationRecord => r.kind === 'remediation');
  return {
    decisionFor: (item) => latestPerItem(decisions).get(item),
    campaignTotals: (ref): CampaignTotals => {
      const ds = latestPerItem(decisions.filter((d) => sameCampaign(d.campaign, ref)));
      const rs = latestPerItem(remediations.filter((r) => sameCampaign(r.campaign, ref)));
      return {
        decisions: countBy(ds.values(), (d) => d.decision),
        remediations: countBy(rs.values(), (r) => r.outcome),
        items: new Set([...ds.keys(), ...rs.keys()]).size,
      };
    },
    requestEvents: (id) =>
      records
        .filter((r): r is AccessRequestRecord => r.kind === 'access_request' && r.request === id)
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  };
}
