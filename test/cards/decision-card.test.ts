import { describe, expect, it } from 'vitest';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { decision, remediation, skipped, svcWorkflows } from '../helpers/records.ts';

const factOf = (card: { facts: { label: string; value: string }[] }, label: string) =>
  card.facts.find((f) => f.label === label)?.value;

describe('buildDecisionCard', () => {
  it('shows a REVOKE with who, what, which campaign, who decided and when', () => {
    const card = buildDecisionCard(decision());
    expect(card).toMatchObject({
      kind: 'decision',
      family: 'CERTIFICATION',
      severity: 'warning',
      title: 'Access revoked: Alice Example · Salesforce',
      key: 'decision:ITEM1',
      eventIds: ['dec-ITEM1'],
      at: '2024-05-02T09:30:00.000Z',
      notes: ['Left the sales team in April.'],
    });
    expect(card.facts).toEqual([
      { label: 'Principal', value: 'Alice Example (alice@example.com)' },
      { label: 'Resource', value: 'Salesforce (APPLICATION)' },
      { label: 'Campaign', value: 'Q2 access review' },
      { label: 'Reviewer', value: 'Rita Reviewer (rita@example.com)' },
      { label: 'Decided at', value: '2024-05-02 09:30:00 UTC' },
    ]);
    expect(card.threadKey).toBeUndefined();
    expect(card.actions).toBeUndefined();
  });

  it('keys the card by the event id when Okta sent no campaign item id', () => {
    expect(buildDecisionCard(decision({ item: undefined, id: 'uuid-7' })).key).toBe('decision:uuid-7');
  });

  it('says when Okta Workflows made the decision', () => {
    const card = buildDecisionCard(decision({ wf: { owner: svcWorkflows } }));
    expect(factOf(card, 'Automation')).toBe(
      'via Okta Workflows (connection owner: Workflows Service (svc-workflows@example.com))',
    );
  });

  it('adds the remediation status line and turns green once Okta removed the access', () => {
    const card = buildDecisionCard(decision(), remediation());
    expect(factOf(card, 'Remediation')).toBe('SUCCESS — access removed');
    expect(card.severity).toBe('success');
    expect(card.key).toBe('decision:ITEM1');
    expect(card.eventIds).toEqual(['dec-ITEM1', 'rem-ITEM1']);
    expect(card.at).toBe('2024-05-02T09:31:00.000Z');
  });

  it.each([
    [skipped(), 'SKIPPED — manual remediation needed', 'warning'],
    [remediation({ outcome: 'FAILURE', status: 'ERROR' }), 'FAILURE — manual remediation needed', 'danger'],
    [remediation({ outcome: 'SUCCESS', status: 'ERROR' }), 'ERROR — manual remediation needed', 'danger'],
    [remediation({ status: 'OPEN' }), 'OPEN — removal pending in Okta', 'info'],
    [remediation({ status: 'NONE' }), 'NONE — result unclear, check in Okta', 'warning'],
  ])('status line for %#', (rem, line, severity) => {
    const card = buildDecisionCard(decision(), rem);
    expect(factOf(card, 'Remediation')).toBe(line);
    expect(card.severity).toBe(severity);
  });

  it('titles other decisions for what they are', () => {
    expect(buildDecisionCard(decision({ decision: 'APPROVE' })).title).toBe('Access approved: Alice Example · Salesforce');
    expect(buildDecisionCard(decision({ decision: 'SOMETHING_NEW' })).title).toMatch(/^Decision SOMETHING_NEW: /);
    expect(buildDecisionCard(decision({ decision: 'APPROVE' })).severity).toBe('info');
  });

  it('truncates absurdly long Okta values', () => {
    const long = 'N'.repeat(5000);
    const card = buildDecisionCard(decision({ notes: long, principal: { name: long, login: 'a@b.c' } }));
    expect(card.notes?.[0]).toHaveLength(2000);
    expect(factOf(card, 'Principal')).toHaveLength(1000);
    expect(card.title.length).toBeLessThanOrEqual(250);
    expect(card.title.startsWith('Access revoked: NNN')).toBe(true);
  });

  it('does not escape untrusted text (renderers do)', () => {
    const card = buildDecisionCard(decision({ notes: '<!channel> & <https://evil|click>' }));
    expect(card.notes).toEqual(['<!channel> & <https://evil|click>']);
  });
});
