import { describe, expect, it } from 'vitest';
import { buildRemediationCard } from '../../src/cards/remediation-card.ts';
import { remediation, skipped } from '../helpers/records.ts';

describe('buildRemediationCard', () => {
  it('replies in the decision thread with what Okta did', () => {
    const card = buildRemediationCard(remediation(), { inThread: true });
    expect(card).toMatchObject({
      kind: 'remediation',
      family: 'CERTIFICATION',
      severity: 'success',
      title: 'Remediation SUCCESS: access removed',
      threadKey: 'decision:ITEM1',
      eventIds: ['rem-ITEM1'],
    });
    expect(card.key).toBeUndefined();
    expect(card.facts.map((f) => `${f.label}=${f.value}`)).toEqual([
      'Remediation=DENY',
      'Status=SUCCESS',
      'Outcome=SUCCESS',
      'At=2024-05-02 09:31:00 UTC',
    ]);
  });

  it('is a warning when Okta skipped it and danger when it failed', () => {
    expect(buildRemediationCard(skipped(), { inThread: true })).toMatchObject({
      severity: 'warning',
      title: 'Remediation SKIPPED: manual remediation needed',
    });
    expect(buildRemediationCard(remediation({ outcome: 'FAILURE', reason: 'Okta API error' }), { inThread: true }))
      .toMatchObject({ severity: 'danger', facts: expect.arrayContaining([{ label: 'Reason', value: 'Okta API error' }]) });
  });

  it('NO_ACTION is neither good nor bad news', () => {
    const card = buildRemediationCard(remediation({ remediation: 'NO_ACTION', status: 'NONE' }), { inThread: true });
    expect(card.severity).toBe('info');
    expect(card.title).toBe('Remediation NO_ACTION: no change made, access kept');
  });

  it('standing alone, it says who and what it is about', () => {
    const card = buildRemediationCard(remediation(), { inThread: false });
    expect(card.threadKey).toBeUndefined();
    expect(card.title).toBe('Remediation SUCCESS: Alice Example · Salesforce');
    expect(card.facts.slice(0, 5)).toEqual([
      { label: 'Principal', value: 'Alice Example (alice@example.com)' },
      { label: 'Resource', value: 'Salesforce (APPLICATION)' },
      { label: 'Campaign', value: 'Q2 access review' },
      { label: 'Decision', value: 'REVOKE' },
      { label: 'Result', value: 'access removed' },
    ]);
  });
});
