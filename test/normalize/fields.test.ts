import { describe, expect, it } from 'vitest';
import {
  debugData,
  eventTypeOf,
  field,
  partyFromActor,
  pick,
  publishedAt,
  targetsOfType,
  type RawEvent,
} from '../../src/normalize/fields.ts';
import { fixture } from './support.ts';

const ev = (o: Record<string, unknown>): RawEvent => o;

describe('debugData', () => {
  it('stringifies numbers and booleans and drops null and empty values', () => {
    const raw = ev({ debugContext: { debugData: { threshold: 500, threatSuspected: false, a: null, b: '', c: 'x' } } });
    expect(debugData(raw)).toEqual({ threshold: '500', threatSuspected: 'false', c: 'x' });
  });

  it('keeps nested values as JSON text', () => {
    expect(debugData(ev({ debugContext: { debugData: { behaviors: { newDevice: 'POSITIVE' } } } }))).toEqual({
      behaviors: '{"newDevice":"POSITIVE"}',
    });
  });

  it('reads Panther\'s lower-cased debugcontext', () => {
    const data = debugData(fixture('system.org.rate_limit.warning.panther-test.json') as RawEvent);
    expect(data['rateLimitScopeType']).toBe('ORG');
    expect(data['warningPercent']).toBe('80');
  });

  it.each([
    ['no debugContext', {}],
    ['empty debugContext', { debugContext: {} }],
    ['debugData a string', { debugContext: { debugData: 'oops' } }],
    ['debugData an array', { debugContext: { debugData: ['a'] } }],
    ['debugContext null', { debugContext: null }],
  ])('is empty with %s', (_, raw) => {
    expect(debugData(ev(raw))).toEqual({});
  });
});

describe('pick', () => {
  const data = { campaignTemplateName: 'Q3', empty: '' };
  it('returns the first key present', () => {
    expect(pick(data, 'campaignItemTemplateName', 'campaignTemplateName')).toBe('Q3');
  });
  it('skips empty values and returns undefined when nothing matches', () => {
    expect(pick(data, 'empty')).toBeUndefined();
    expect(pick(data, 'nope', 'alsoNope')).toBeUndefined();
  });
});

describe('field / eventTypeOf', () => {
  it('prefers the exact key and falls back to any casing', () => {
    expect(field(ev({ eventType: 'a', eventtype: 'b' }), 'eventType')).toBe('a');
    expect(field(ev({ eventtype: 'b' }), 'eventType')).toBe('b');
    expect(field(ev({ DisplayMessage: 'c' }), 'displayMessage')).toBe('c');
  });
  it('accepts only a non-empty string as event type', () => {
    expect(eventTypeOf(ev({ eventType: 42 }))).toBeUndefined();
    expect(eventTypeOf(ev({ eventType: '  ' }))).toBeUndefined();
    expect(eventTypeOf(ev({ eventtype: 'system.org.rate_limit.warning' }))).toBe('system.org.rate_limit.warning');
  });
});

describe('partyFromActor', () => {
  it('maps id, displayName and alternateId', () => {
    expect(partyFromActor(fixture('user.lifecycle.deactivate.json') as RawEvent)).toEqual({
      id: '00u2di94bAMSEPvAY1d6',
      name: 'Okta Trainer',
      login: 'okta.trainer@okta.com',
    });
  });
  it('drops Okta\'s "unknown" placeholder and is undefined when nothing is left', () => {
    expect(partyFromActor(ev({ actor: { id: 'x', alternateId: 'unknown', displayName: null } }))).toEqual({ id: 'x' });
    expect(partyFromActor(ev({ actor: { alternateId: 'unknown' } }))).toBeUndefined();
    expect(partyFromActor(ev({ actor: 'root' }))).toBeUndefined();
  });
});

describe('targetsOfType', () => {
  it('matches types ignoring case and skips non-object entries', () => {
    const raw = ev({ target: [{ type: 'URL Pattern', id: '/api/v1/users' }, null, 'x', { type: 'Bucket Uuid', id: 'b' }] });
    expect(targetsOfType(raw, 'url pattern').map((t) => t['id'])).toEqual(['/api/v1/users']);
    expect(targetsOfType(ev({ target: 'nope' }), 'User')).toEqual([]);
  });
});

describe('publishedAt', () => {
  it.each([
    ['2020-11-16T18:15:12.862Z', '2020-11-16T18:15:12.862Z'],
    ['2021-01-08 21:28:34.875', '2021-01-08T21:28:34.875Z'], // Panther: no zone, UTC
    ['2022-08-26 07:51:24.601', '2022-08-26T07:51:24.601Z'],
    ['2021-01-08T21:28:34Z', '2021-01-08T21:28:34.000Z'],
    ['2021-01-08T23:28:34.875+02:00', '2021-01-08T21:28:34.875Z'],
    ['2021-01-08T23:28:34.875+0200', '2021-01-08T21:28:34.875Z'],
    ['2021-01-08T21:28:34.875123Z', '2021-01-08T21:28:34.875Z'],
  ])('%s → %s', (published, iso) => {
    expect(publishedAt(ev({ published }))).toBe(iso);
  });

  it.each([[undefined], [null], [''], ['yesterday'], ['2021-02-30T00:00:00Z'], ['2021-01-08T25:00:00Z'], [1610141314875]])(
    '%s → undefined',
    (published) => {
      expect(publishedAt(ev({ published }))).toBeUndefined();
    },
  );
});
