import { describe, expect, it } from 'vitest';
import { logEvent } from '../helpers/okta-events.ts';
import { fixture, normalize, recordOf } from './support.ts';

describe('normalizeOther (event types the bot does not know)', () => {
  it('keeps Okta\'s user.lifecycle.deactivate sample with its displayMessage and targets', () => {
    expect(normalize(fixture('user.lifecycle.deactivate.json')).record).toStrictEqual({
      id: 'ab62c0bc-2837-11eb-9823-9fb8f750c5a9',
      type: 'user.lifecycle.deactivate',
      family: 'other',
      kind: 'other',
      at: '2020-11-16T18:15:12.862Z',
      src: 'hook',
      actor: { id: '00u2di94bAMSEPvAY1d6', name: 'Okta Trainer', login: 'okta.trainer@okta.com' },
      outcome: 'SUCCESS',
      msg: 'Deactivate Okta User',
      targets: ['User: John Doe'],
    });
  });

  it('keeps the outcome reason and does not copy debugData (a phone number here) into the record', () => {
    const r = recordOf(fixture('system.operation.rate_limit.violation.phone_enrollment.json'), 'other');
    expect(r).toMatchObject({
      msg: 'Operation rate limit violation',
      outcome: 'DENY',
      reason: 'Too many enrollment attempts for SMS factor',
      targets: ['Factor Type: SMS', 'URL Pattern: /api/v1/authn/factors'],
    });
    expect(JSON.stringify(r)).not.toContain('1555555555');
  });

  it('masks a MobilePhone target of an unknown type too', () => {
    const target = [{ id: 'mbl1', type: 'MobilePhone', alternateId: '+14155550123' }];
    const event = logEvent({ eventType: 'system.sms.send_factor_verify_message', target });
    expect(recordOf(event, 'other').targets).toEqual(['MobilePhone: +•••••••••23']);
  });

  it('has no targets key when there are none', () => {
    expect('targets' in recordOf(logEvent({ eventType: 'user.session.end', target: [] }), 'other')).toBe(false);
  });
});
