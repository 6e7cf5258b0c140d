import { describe, expect, it } from 'vitest';
import { renderCardText } from '../../../adapters/terminal/render-text.ts';
import { buildAccessRequestCard } from '../../../src/cards/access-request-card.ts';
import { buildAccessReviewCard } from '../../../src/cards/access-review-card.ts';
import { buildAsaCard } from '../../../src/cards/asa-card.ts';
import { buildCampaignCard } from '../../../src/cards/campaign-card.ts';
import type { Card } from '../../../src/cards/card.ts';
import { buildDecisionCard } from '../../../src/cards/decision-card.ts';
import { buildManualRemediationCard } from '../../../src/cards/manual-remediation-card.ts';
import { buildRemediationCard } from '../../../src/cards/remediation-card.ts';
import { buildSystemAlertCard } from '../../../src/cards/system-alert-card.ts';
import {
  accessRequest, accessReview, alice, asa, campaign, decision, remediation, rita, salesforce, skipped, svcWorkflows,
  systemAlert,
} from '../../helpers/records.ts';

describe('renderCardText: one snapshot per card kind', () => {
  it('decision, with Workflows attribution and remediation status', () => {
    const card = buildDecisionCard(decision({ wf: { owner: svcWorkflows } }), remediation());
    expect(renderCardText(card)).toMatchInlineSnapshot(`
      "✔ Access revoked: Alice Example · Salesforce
        (updates decision:ITEM1)
        Principal:   Alice Example (alice@example.com)
        Resource:    Salesforce (APPLICATION)
        Campaign:    Q2 access review
        Reviewer:    Rita Reviewer (rita@example.com)
        Decided at:  2024-05-02 09:30:00 UTC
        Automation:  via Okta Workflows (connection owner: Workflows Service (svc-workflows@example.com))
        Remediation: SUCCESS — access removed

        Left the sales team in April."
    `);
  });

  it('remediation reply', () => {
    expect(renderCardText(buildRemediationCard(skipped(), { inThread: true }))).toMatchInlineSnapshot(`
      "⚠ Remediation SKIPPED: manual remediation needed
        ↳ reply in thread decision:ITEM1
        Remediation: DENY
        Status:      MANUAL
        Outcome:     SKIPPED
        At:          2024-05-02 09:31:00 UTC"
    `);
  });

  it('manual remediation, open', () => {
    expect(renderCardText(buildManualRemediationCard(skipped(), { decision: decision() }))).toMatchInlineSnapshot(`
      "⚠ Manual remediation needed: Alice Example · Salesforce
        (updates manual:ITEM1)
        Principal:     Alice Example (alice@example.com)
        Resource:      Salesforce (APPLICATION)
        Resource id:   0oa1sfdc
        Campaign:      Q2 access review
        Reviewer:      Rita Reviewer (rita@example.com)
        Remediated at: 2024-05-02 09:31:00 UTC
        Outcome:       SKIPPED, remediation DENY, status MANUAL
        Task:          Open

        Decision notes: Left the sales team in April.
        Likely cause: the app is assigned through a group, so Okta cannot remove the individual assignment. Remove the user from that group or change the assignment.
        Next step: claim this task, remove the access by hand in Okta, then mark it done.

        [Claim] [Mark done] [Verify in Okta]  (oig_manual_claim, oig_manual_done, oig_manual_verify; value item:ITEM1)"
    `);
  });

  it('campaign close', () => {
    const totals = { decisions: { APPROVE: 12, REVOKE: 3 }, remediations: { SUCCESS: 2, SKIPPED: 1 }, items: 15 };
    expect(renderCardText(buildCampaignCard(campaign('close'), totals))).toMatchInlineSnapshot(`
      "⚠ Campaign closed: Q2 access review
        Campaign:     Q2 access review
        Campaign id:  icicmp1
        Closed by:    Bob Builder (bob@example.com)
        At:           2024-05-01 08:00:00 UTC
        Items:        15
        Decisions:    APPROVE 12 · REVOKE 3
        Remediations: SUCCESS 2 · SKIPPED 1

        1 remediation(s) need manual work: see /oig skipped."
    `);
  });

  it('access request, resolved', () => {
    const create = accessRequest('create', { actor: alice, requester: alice });
    const resolve = accessRequest('resolve', { at: '2024-05-03T12:05:00Z', actor: rita });
    expect(renderCardText(buildAccessRequestCard(resolve, [create]))).toMatchInlineSnapshot(`
      "✔ Access request: Salesforce access for Bob Builder
        (updates request:REQ1)
        State:         Resolved (approved)
        Requested by:  Alice Example (alice@example.com)
        Requested for: Bob Builder (bob@example.com)
        Resource:      Salesforce (APPLICATION)
        Created at:    2024-05-03 10:00:00 UTC
        Took:          2h 5m
        Request id:    REQ1

        History:
        2024-05-03 10:00:00 UTC · Created by Alice Example
        2024-05-03 12:05:00 UTC · Resolved by Rita Reviewer"
    `);
  });

  it('access review', () => {
    const card = buildAccessReviewCard(accessReview('remediate', { principal: alice, resource: salesforce, decision: 'REVOKE' }));
    expect(renderCardText(card)).toMatchInlineSnapshot(`
      "✔ Access review remediation: Alice security review
        Review:    Alice security review
        Action:    remediate
        Principal: Alice Example (alice@example.com)
        Resource:  Salesforce (APPLICATION)
        Decision:  REVOKE
        By:        Rita Reviewer (rita@example.com)
        Outcome:   SUCCESS
        At:        2024-05-04 11:00:00 UTC"
    `);
  });

  it('system alert', () => {
    const card = buildSystemAlertCard(systemAlert('system.org.rate_limit.violation', {
      msg: 'Rate limit violation',
      facts: { rateLimitScopeType: 'ORG', threshold: '500' },
      targets: ['URL Pattern: /api/v1/users'],
    }));
    expect(renderCardText(card)).toMatchInlineSnapshot(`
      "✖ Okta rate limit exceeded
        Event:                 system.org.rate_limit.violation
        Rate limit scope type: ORG
        Threshold:             500
        Targets:               URL Pattern: /api/v1/users
        Outcome:               SUCCESS
        At:                    2024-05-05 12:00:00 UTC

        Rate limit violation"
    `);
  });

  it('asa', () => {
    expect(renderCardText(buildAsaCard(asa({ user: 'alice', notable: true })))).toMatchInlineSnapshot(`
      "ℹ web-01 (project prod) enrolled
        Event:   server.enroll
        User:    alice
        Server:  web-01
        Project: prod
        At:      2024-05-06 13:00:00 UTC"
    `);
  });
});

describe('renderCardText: untrusted text', () => {
  const base: Card = {
    kind: 'decision', family: 'CERTIFICATION', severity: 'info', title: 'T', facts: [], eventIds: ['e'], at: '2024-01-01T00:00:00Z',
  };

  it('strips ANSI escapes and other control characters from every Okta value', () => {
    const text = renderCardText({
      ...base,
      title: '\u001b[2J\u001b[HAlice\u0007',
      facts: [{ label: 'Principal', value: '\u001b[31mred\u001b[0m\r\nnext\tline \u009b1mC1' }],
      notes: ['line one\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\nline \u202eevil\u202c two'],
    });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toBe(['ℹ Alice', '  Principal: red next line C1', '', '  line oneclick', '  line evil two'].join('\n'));
  });

  it('keeps a value on its line and aligns labels', () => {
    const text = renderCardText({ ...base, facts: [{ label: 'A', value: 'x\ny' }, { label: 'Longer', value: 'z' }] });
    expect(text.split('\n').slice(1)).toEqual(['  A:      x y', '  Longer: z']);
  });

  it('lists each action id with its own value when values differ', () => {
    const text = renderCardText({
      ...base,
      actions: [
        { id: 'oig_manual_claim', label: 'Claim', value: 'item:1' },
        { id: 'oig_manual_verify', label: 'Verify in Okta', value: 'item:2' },
      ],
    });
    expect(text.split('\n').at(-1)).toBe('  [Claim] [Verify in Okta]  (oig_manual_claim=item:1, oig_manual_verify=item:2)');
  });
});
