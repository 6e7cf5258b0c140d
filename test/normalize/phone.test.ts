import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhoneNumbersIn } from '../../src/normalize/phone.ts';

describe('maskPhone', () => {
  it.each([
    ['+1555555555', '+••••••••55'],
    ['+1 (415) 555-0123', '+• (•••) •••-••23'],
    ['12', '12'],
    ['+14xxxxxxxxx', '+14xxxxxxxxx'], // already masked by Okta: nothing left to hide
  ])('%s → %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});

describe('maskPhoneNumbersIn', () => {
  it.each([
    ['Call to +1 415 555 0123 failed', 'Call to +• ••• ••• ••23 failed'],
    ['Sent to 4155550123.', 'Sent to ••••••••23.'],
    ['Send phone verification SMS message', 'Send phone verification SMS message'],
    ['Error 404 at 2025-06-30', 'Error 404 at 2025-06-30'],
  ])('%s → %s', (input, masked) => {
    expect(maskPhoneNumbersIn(input)).toBe(masked);
  });
});
