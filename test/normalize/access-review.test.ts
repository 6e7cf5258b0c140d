import { describe, expect, it } from 'vitest';
import { ACCESS_REVIEW_EVENT_TYPES } from '../../src/okta/event-types.ts';
import { accessReviewEvent, APP, GROUP, logEvent, PRINCIPAL } from '../helpers/okta-events.ts';
import { fixture, recordOf } from './support.ts';

describe('normalizeAccessReview', () => {
  it('reads access.review.action', () => {
    const r = recordOf(fixture('access.review.action.json'), 'access_review');
    expect(r).toMatchObject({
      family: 'access_review',
      action: 'action',
      review: { id: 'sar1sec2Review000d7', name: 'Security review for Jane Doe' },
      principal: PRINCIPAL,
      resource: { id: APP.id, name: 'Salesforce', type: 'APPLICATION' },
      decision: 'REVOKE',
      at: '2025-07-03T16:20:00.000Z',
    });
  });

  it.each(ACCESS_REVIEW_EVENT_TYPES.map((t) => [t, t.slice('access.review.'.length)]))('%s → action %s', (type, action) => {
    const r = recordOf(accessReviewEvent(action), 'access_review');
    expect(r.type).toBe(type);
    expect(r.action).toBe(action);
  });

  it('reads the remediation result of access.review.remediate', () => {
    expect(recordOf(accessReviewEvent('remediate', { decision: 'failed' }), 'access_review').decision).toBe('FAILED');
  });

  it('falls back to the targets when debugData is missing', () => {
    const event = logEvent({
      eventType: 'access.review.close',
      debugContext: null,
      target: [
        { id: 'sar9', type: 'SecurityAccessReview', displayName: 'Review of Jane' },
        { id: PRINCIPAL.id, type: 'User', displayName: PRINCIPAL.name, alternateId: PRINCIPAL.login },
        { id: GROUP.id, type: 'Group', displayName: GROUP.name },
      ],
    });
    expect(recordOf(event, 'access_review')).toMatchObject({
      review: { id: 'sar9', name: 'Review of Jane' },
      principal: PRINCIPAL,
      resource: { id: GROUP.id, name: GROUP.name, type: 'GROUP' },
    });
  });

  it('has an empty review and nothing else when the event says nothing', () => {
    const r = recordOf(logEvent({ eventType: 'access.review.start', debugContext: null, target: null }), 'access_review');
    expect(r.review).toEqual({});
    expect('principal' in r || 'resource' in r || 'decision' in r).toBe(false);
  });
});
