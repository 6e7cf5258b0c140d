/** src/okta/event-types.ts, checked against Okta's own event type catalog (test/fixtures/okta/SOURCES.md). */
import { describe, expect, it } from 'vitest';
import {
  ACCESS_REQUEST_EVENT_TYPES,
  ACCESS_REVIEW_EVENT_TYPES,
  CERTIFICATION_EVENT_TYPES,
  familyOf,
  GOVERNANCE_EVENT_TYPES,
  isGovernanceEventType,
  SYSTEM_EVENT_TYPES,
} from '../../src/okta/event-types.ts';
import { readOktaFixture } from '../helpers/okta-events.ts';

const catalog = readOktaFixture('event-types-catalog-subset.json') as { eventTypes: { id: string; tags: string[] }[] };
const tags = new Map(catalog.eventTypes.map((e) => [e.id, e.tags]));

describe('event type lists', () => {
  it('have the sizes of SPEC §4', () => {
    expect(CERTIFICATION_EVENT_TYPES).toHaveLength(5);
    expect(ACCESS_REQUEST_EVENT_TYPES).toHaveLength(16);
    expect(ACCESS_REVIEW_EVENT_TYPES).toHaveLength(6);
    expect(SYSTEM_EVENT_TYPES).toHaveLength(13);
    expect(new Set(GOVERNANCE_EVENT_TYPES).size).toBe(40);
  });

  it.each(GOVERNANCE_EVENT_TYPES)('%s exists in Okta\'s catalog', (type) => {
    expect(tags.has(type)).toBe(true);
  });

  it('are event-hook eligible, except certification.campaign.update (System Log only)', () => {
    const notEligible = GOVERNANCE_EVENT_TYPES.filter((t) => !(tags.get(t) ?? []).includes('event-hook-eligible'));
    expect(notEligible).toEqual(['certification.campaign.update']);
  });

  it('cover every access.request.* and access.review.* type of the catalog', () => {
    const catalogued = catalog.eventTypes.map((e) => e.id).filter((id) => /^access\.(request|review)\./.test(id));
    expect([...catalogued].sort()).toEqual([...ACCESS_REQUEST_EVENT_TYPES, ...ACCESS_REVIEW_EVENT_TYPES].sort());
  });
});

describe('familyOf', () => {
  it.each([
    ['certification.campaign.item.decide', 'certification'],
    ['certification.campaign.close', 'certification'],
    ['access.request.condition.invalidate', 'access_request'],
    ['access.review.remediate', 'access_review'],
    ['system.org.rate_limit.violation', 'system'],
    ['security.authenticator.lifecycle.activate', 'system'],
    ['certification.campaign.create', 'other'], // exists, but not one the bot handles
    ['system.operation.rate_limit.violation', 'other'],
    ['user.session.start', 'other'],
    ['', 'other'],
  ])('%s → %s', (type, family) => {
    expect(familyOf(type)).toBe(family);
    expect(isGovernanceEventType(type)).toBe(family !== 'other');
  });
});
