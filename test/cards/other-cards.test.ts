import { describe, expect, it } from 'vitest';
import { buildAccessReviewCard } from '../../src/cards/access-review-card.ts';
import { buildAsaCard } from '../../src/cards/asa-card.ts';
import { buildSystemAlertCard, systemAlertTitle } from '../../src/cards/system-alert-card.ts';
import { accessReview, alice, asa, salesforce, systemAlert } from '../helpers/records.ts';

describe('buildAccessReviewCard', () => {
  it('shows the review, the action and what it was about', () => {
    const card = buildAccessReviewCard(
      accessReview('action', { principal: alice, resource: salesforce, decision: 'REVOKE' }),
    );
    expect(card).toMatchObject({
      kind: 'access_review',
      family: 'ACCESS_REVIEW',
      severity: 'info',
      title: 'Access review action: Alice security review',
      eventIds: ['rev-action'],
    });
    expect(card.key).toBeUndefined();
    expect(card.facts.slice(0, 6)).toEqual([
      { label: 'Review', value: 'Alice security review' },
      { label: 'Action', value: 'action' },
      { label: 'Principal', value: 'Alice Example (alice@example.com)' },
      { label: 'Resource', value: 'Salesforce (APPLICATION)' },
      { label: 'Decision', value: 'REVOKE' },
      { label: 'By', value: 'Rita Reviewer (rita@example.com)' },
    ]);
  });

  it('colours remediation results', () => {
    expect(buildAccessReviewCard(accessReview('remediate')).severity).toBe('success');
    expect(buildAccessReviewCard(accessReview('remediate', { outcome: 'FAILURE' })).severity).toBe('danger');
    expect(buildAccessReviewCard(accessReview('close', { review: { id: 'sar2' } })).title).toBe('Access review closed: sar2');
  });
});

describe('buildSystemAlertCard', () => {
  it('titles a rate-limit warning and lists debug facts and targets', () => {
    const card = buildSystemAlertCard(
      systemAlert('system.org.rate_limit.warning', {
        msg: 'Rate limit warning',
        facts: { rateLimitScopeType: 'ORG', threshold: '500', warningPercent: '80' },
        targets: ['URL Pattern: /api/v1/users'],
      }),
    );
    expect(card).toMatchObject({ kind: 'system_alert', family: 'SYSTEM', severity: 'warning', title: 'Okta rate limit warning' });
    expect(card.facts).toEqual([
      { label: 'Event', value: 'system.org.rate_limit.warning' },
      { label: 'Rate limit scope type', value: 'ORG' },
      { label: 'Threshold', value: '500' },
      { label: 'Warning percent', value: '80' },
      { label: 'Targets', value: 'URL Pattern: /api/v1/users' },
      { label: 'Outcome', value: 'SUCCESS' },
      { label: 'At', value: '2024-05-05 12:00:00 UTC' },
    ]);
    expect(card.notes).toEqual(['Rate limit warning']);
  });

  it('makes any rate-limit violation danger', () => {
    expect(buildSystemAlertCard(systemAlert('system.org.rate_limit.violation')).severity).toBe('danger');
    const op = buildSystemAlertCard(systemAlert('system.operation.rate_limit.violation'));
    expect(op).toMatchObject({ severity: 'danger', title: 'Okta rate limit exceeded' });
  });

  it.each([
    ['system.api_token.create', undefined, 'Okta API token created'],
    ['security.authenticator.lifecycle.deactivate', undefined, 'Okta authenticator deactivated'],
    ['system.something.new', 'Something happened', 'Something happened'],
    ['system.something.new', '', 'system.something.new'],
  ])('%s → %s', (type, msg, title) => {
    expect(systemAlertTitle(type, msg)).toBe(title);
  });
});

describe('buildAsaCard', () => {
  it('uses the resolved sentence as title with user, server and project', () => {
    const card = buildAsaCard(asa({ user: 'alice' }));
    expect(card).toMatchObject({ kind: 'asa', family: 'ASA', severity: 'info', title: 'web-01 (project prod) enrolled' });
    expect(card.facts.map((f) => `${f.label}=${f.value}`)).toEqual([
      'Event=server.enroll', 'User=alice', 'Server=web-01', 'Project=prod', 'At=2024-05-06 13:00:00 UTC',
    ]);
  });

  it('falls back to the type when there is no text', () => {
    expect(buildAsaCard(asa({ text: undefined })).title).toBe('ASA server.enroll');
  });
});
