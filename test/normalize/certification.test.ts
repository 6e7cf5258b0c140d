import { describe, expect, it } from 'vitest';
import { needsManualRemediation } from '../../src/domain/records.ts';
import { CAMPAIGN, decideEvent, GROUP, logEvent, PRINCIPAL, remediateEvent, REVIEWER } from '../helpers/okta-events.ts';
import { fixture, recordOf } from './support.ts';

const decide = (name: string) => recordOf(fixture(`certification.campaign.item.decide.${name}.json`), 'decision');
const remediate = (name: string) => recordOf(fixture(`certification.campaign.item.remediate.${name}.json`), 'remediation');

describe('normalizeDecision (certification.campaign.item.decide)', () => {
  it('reads every SPEC §4 field of a REVOKE', () => {
    expect(decide('revoke')).toStrictEqual({
      id: '6f1c2a10-55b1-11f0-9b1e-0d3f1a7c0001',
      type: 'certification.campaign.item.decide',
      family: 'certification',
      kind: 'decision',
      at: '2025-06-30T14:02:11.123Z',
      src: 'hook',
      actor: { id: '00u1rvw2RitaRevw0d7', name: 'Rita Reviewer', login: 'rita.reviewer@example.com' },
      outcome: 'SUCCESS',
      msg: 'Campaign item decision',
      campaign: { id: 'icirevw2Q3AccessRev', name: 'Q3 Access Review' },
      item: 'icii1rvk2Item0001d7',
      principal: { id: '00u1jnd2JaneDoe00d7', name: 'Jane Doe', login: 'jane.doe@example.com' },
      resource: { id: '0oa1sfdc2Salesforce', name: 'Salesforce', type: 'APPLICATION' },
      reviewer: { id: '00u1rvw2RitaRevw0d7', name: 'Rita Reviewer', login: 'rita.reviewer@example.com' },
      decision: 'REVOKE',
      notes: 'Left the finance team in May <!channel>',
      resourceStatus: 'ACTIVE',
    });
  });

  it.each([
    ['approve', 'APPROVE', 'SUCCESS'],
    ['noresponse', 'NORESPONSE', 'SUCCESS'],
    ['delegate', 'DELEGATE', 'SKIPPED'],
  ])('%s fixture → decision %s, outcome %s', (name, decision, outcome) => {
    const r = decide(name);
    expect(r.decision).toBe(decision);
    expect(r.outcome).toBe(outcome);
  });

  it.each(['APPROVE', 'REVOKE', 'UNREVIEWED', 'DELEGATE', 'NORESPONSE'])('keeps decision %s', (decision) => {
    expect(recordOf(decideEvent({ decision }), 'decision').decision).toBe(decision);
  });

  it('upper-cases a decision Okta sends in another case', () => {
    expect(recordOf(decideEvent({ debugData: { campaignItemDecision: 'Revoke' } }), 'decision').decision).toBe('REVOKE');
  });

  it('does not take Okta System for the reviewer of a NORESPONSE, but keeps the assigned reviewer', () => {
    const r = decide('noresponse');
    expect(r.actor?.name).toBe('Okta System');
    expect(r.reviewer).toStrictEqual({ id: REVIEWER.id, name: REVIEWER.name });
    const noReviewer = { campaignItemReviewerId: undefined, campaignItemReviewerName: undefined };
    const bare = recordOf(decideEvent({ decision: 'NORESPONSE', debugData: noReviewer }), 'decision');
    expect(bare.reviewer).toBeUndefined();
  });

  it('reads the campaignTemplateName variant and a GROUP resource', () => {
    const r = decide('template-name-variant');
    expect(r.campaign).toEqual({ id: CAMPAIGN.id, name: 'Q3 Access Review' });
    expect(r.resource).toEqual({ id: GROUP.id, name: 'Finance Admins', type: 'GROUP' });
  });

  it('marks a decision made through Okta Workflows with its connection owner', () => {
    const r = decide('workflows');
    expect(r.wf).toEqual({ owner: { id: '00u1pat2PatJones00d7', name: 'Pat Jones', login: 'pat.jones@example.com' } });
    expect(r.reviewer?.name).toBe('Rita Reviewer');
    const noReviewer = { campaignItemReviewerId: undefined, campaignItemReviewerName: undefined };
    const bare = recordOf(decideEvent({ workflows: true, actor: { name: 'Pat Jones' }, debugData: noReviewer }), 'decision');
    expect(bare.wf?.owner.name).toBe('Pat Jones');
    expect(bare.reviewer).toBeUndefined(); // the connection owner reviewed nothing
  });

  it('falls back to the actor as reviewer and to the targets for principal and resource', () => {
    const event = decideEvent({ decision: 'REVOKE' });
    event.debugContext = { debugData: { campaignItemDecision: 'REVOKE' } };
    const r = recordOf(event, 'decision');
    expect(r.reviewer).toEqual({ id: REVIEWER.id, name: REVIEWER.name, login: REVIEWER.login });
    expect(r.principal).toEqual({ id: PRINCIPAL.id, name: PRINCIPAL.name, login: PRINCIPAL.login });
    expect(r.resource).toEqual({ id: '0oa1sfdc2Salesforce', name: 'Salesforce', type: 'APPLICATION' });
  });

  it('never guesses between two candidate targets', () => {
    const event = decideEvent({ target: [] });
    event.debugContext = null;
    event.target = [
      { id: '00uA', type: 'User', displayName: 'A' },
      { id: '00uB', type: 'User', displayName: 'B' },
      { id: '0oa1', type: 'AppInstance', displayName: 'App 1' },
      { id: '00g1', type: 'Group', displayName: 'Group 1' },
    ];
    const r = recordOf(event, 'decision');
    expect(r.principal).toEqual({});
    expect(r.resource).toEqual({});
  });

  it('takes the campaign from a campaign target when debugData has none', () => {
    const event = decideEvent({ debugData: { campaignId: undefined, campaignItemTemplateName: undefined } });
    event.target = [...(event.target ?? []), { id: 'ici9', type: 'CertificationCampaign', displayName: 'Quarterly SOX' }];
    expect(recordOf(event, 'decision').campaign).toEqual({ id: 'ici9', name: 'Quarterly SOX' });
  });

  it('still produces a decision from an event without debugData or targets', () => {
    const event = logEvent({ eventType: 'certification.campaign.item.decide', debugContext: undefined, target: undefined });
    const r = recordOf(event, 'decision');
    expect(r.campaign).toEqual({});
    expect(r.principal).toEqual({});
    expect(r.resource).toEqual({});
    expect(r.item).toBeUndefined();
    expect(r.decision).toBeUndefined();
    expect(r.reviewer?.name).toBe('Ada Admin'); // the actor
  });
});

describe('normalizeRemediation (certification.campaign.item.remediate)', () => {
  it.each([
    ['success', 'SUCCESS', 'DENY', 'SUCCESS', false],
    ['skipped-manual', 'SKIPPED', 'DENY', 'MANUAL', true],
    ['failure-error', 'FAILURE', 'DENY', 'ERROR', true],
  ])('%s → outcome %s, remediation %s, status %s', (name, outcome, remediation, status, manual) => {
    const r = remediate(name);
    expect(r.outcome).toBe(outcome);
    expect(r.remediation).toBe(remediation);
    expect(r.status).toBe(status);
    expect(needsManualRemediation(r)).toBe(manual);
  });

  it('ties the remediation to its decision through the item id', () => {
    expect(remediate('success').item).toBe(decide('revoke').item);
    expect(remediate('skipped-manual')).toMatchObject({
      reason: 'Membership is managed by a group rule',
      decision: 'REVOKE',
      resource: { id: GROUP.id, name: 'Finance Admins', type: 'GROUP' },
      principal: { id: PRINCIPAL.id, login: PRINCIPAL.login },
    });
  });

  it('reads NO_ACTION and does not take the actor for the reviewer', () => {
    const event = remediateEvent({ remediation: 'NO_ACTION', status: 'NONE' });
    event.debugContext = { debugData: { campaignItemRemediation: 'NO_ACTION', campaignItemRemediationStatus: 'NONE' } };
    const r = recordOf(event, 'remediation');
    expect(r.remediation).toBe('NO_ACTION');
    expect(r.status).toBe('NONE');
    expect(r.reviewer).toBeUndefined();
  });
});

describe('normalizeCampaign', () => {
  it.each([
    ['launch', '2025-06-30T09:00:00.412Z'],
    ['close', '2025-07-15T00:00:01.950Z'],
  ])('%s', (action, at) => {
    const r = recordOf(fixture(`certification.campaign.${action}.json`), 'campaign');
    expect(r).toMatchObject({ action, at, family: 'certification', campaign: { id: CAMPAIGN.id, name: CAMPAIGN.name } });
    expect(r.actor?.name).toBe('Okta System');
  });

  it('update, with the name only in a campaign target', () => {
    const event = logEvent({
      eventType: 'certification.campaign.update',
      debugContext: { debugData: {} },
      target: [{ id: 'ici7', type: 'Campaign', displayName: 'Contractors 2025' }],
    });
    expect(recordOf(event, 'campaign')).toMatchObject({ action: 'update', campaign: { id: 'ici7', name: 'Contractors 2025' } });
  });
});
