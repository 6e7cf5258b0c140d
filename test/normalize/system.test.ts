import { describe, expect, it } from 'vitest';
import { SYSTEM_EVENT_TYPES } from '../../src/okta/event-types.ts';
import { systemEvent } from '../helpers/okta-events.ts';
import { fixture, normalize, recordOf } from './support.ts';

describe('normalizeSystemAlert', () => {
  it('reads Okta\'s rate limit warning sample with Panther\'s lower-cased keys', () => {
    const { record, warning } = normalize(fixture('system.org.rate_limit.warning.panther-test.json'));
    expect(warning).toBeUndefined();
    expect(record).toStrictEqual({
      id: 'abc-1234-abcd',
      type: 'system.org.rate_limit.warning',
      family: 'system',
      kind: 'system_alert',
      at: '2022-08-26T07:51:24.601Z',
      src: 'hook',
      actor: { id: '00abc456', name: 'Homer Simpson', login: 'homer.simpson@duff.com' },
      outcome: 'SUCCESS',
      msg: 'Rate limit warning',
      targets: ['URL Pattern: /api/v1/users', 'Bucket Uuid: abc12345'],
      facts: {
        rateLimitScopeType: 'ORG',
        threshold: '500',
        warningPercent: '80',
        timeSpan: '1',
        timeUnit: 'MINUTES',
        rateLimitSecondsToReset: '11',
        urlPattern: '/api/v1/users',
      },
    });
  });

  it.each(['create', 'revoke'])('names the token of system.api_token.%s (Panther sample, no debugData)', (action) => {
    const r = recordOf(fixture(`system.api_token.${action}.panther-test.json`), 'system_alert');
    expect(r.type).toBe(`system.api_token.${action}`);
    expect(r.at).toBe('2021-01-08T21:28:34.875Z');
    expect(r.targets).toEqual(['Token: test_key']);
    expect(r.facts).toEqual({ tokenName: 'test_key' });
  });

  it('reads the numbers of a violation even when Okta sends them unquoted', () => {
    const event = systemEvent('system.org.rate_limit.violation', { debugData: { threshold: 600, warningPercent: undefined } });
    expect(recordOf(event, 'system_alert').facts).toMatchObject({ threshold: '600', rateLimitScopeType: 'ORG' });
    expect(recordOf(event, 'system_alert').facts).not.toHaveProperty('warningPercent');
  });

  it.each(SYSTEM_EVENT_TYPES)('%s is a system alert', (type) => {
    const r = recordOf(systemEvent(type), 'system_alert');
    expect(r.family).toBe('system');
    expect(r.targets?.length).toBeGreaterThan(0);
  });

  it('keeps the authenticator and import targets readable', () => {
    expect(recordOf(systemEvent('security.authenticator.lifecycle.deactivate'), 'system_alert').targets).toEqual([
      'Authenticator: Okta Verify',
    ]);
    expect(recordOf(systemEvent('system.import.roadblock'), 'system_alert').targets).toEqual(['AppInstance: Workday']);
  });
});

describe('phone verification events never store the number in clear', () => {
  const types = ['system.sms.send_phone_verification_message', 'system.voice.send_phone_verification_call'];

  it.each(types)('%s, Identity Engine (debugData.phoneNumber)', (type) => {
    const event = systemEvent(type, { phoneNumber: '+14155550123' });
    const r = recordOf(event, 'system_alert');
    expect(r.facts).toEqual({ phoneNumber: '+•••••••••23', countryCallingCode: '1', smsProvider: 'TWILIO' });
    expect(JSON.stringify(r)).not.toContain('4155550123');
  });

  it.each(types)('%s, Classic Engine (MobilePhone target)', (type) => {
    const r = recordOf(systemEvent(type, { phoneNumber: '+1 415 555 0199', classic: true }), 'system_alert');
    expect(r.targets).toEqual(['MobilePhone: +• ••• ••• ••99']);
    expect(r.facts).toEqual({ phoneNumber: '+• ••• ••• ••99' });
    // The record's id is a random UUID and its time now (either may hold "555"): look at everything else.
    const { id: _id, at: _at, ...shown } = r;
    expect(JSON.stringify(shown)).not.toMatch(/555|0199/);
  });

  it('masks a number Okta puts in the message or reason', () => {
    const event = systemEvent(types[0] ?? '', { displayMessage: 'SMS sent to +1 (415) 555-0123', reason: 'Blocked 4155550123' });
    const r = recordOf(event, 'system_alert');
    expect(r.msg).toBe('SMS sent to +• (•••) •••-••23');
    expect(r.reason).toBe('Blocked ••••••••23');
  });
});
