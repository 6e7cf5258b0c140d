/**
 * Phone numbers are personal data and the bot has no use for them in clear: they are masked before anything
 * is stored. Okta puts the number of a phone verification event in a `MobilePhone` target (Classic Engine,
 * `target[].alternateId`) or in `debugContext.debugData.phoneNumber` (Identity Engine) — see Okta's guide
 * "Update your event hooks for Identity Engine".
 */
import type { NameMask } from './targets.ts';

/** Every digit but the last two becomes "•": "+1 555 555 1234" → "+• ••• ••• ••34". */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '•'));
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Anything in free text that looks like a phone number (7+ digits with the usual separators; not a date) is masked. */
export function maskPhoneNumbersIn(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (run) =>
    run.replace(/\D/g, '').length >= 7 && !DATE.test(run) ? maskPhone(run) : run,
  );
}

const isPhoneType = (type: string | undefined): boolean => /phone/i.test(type ?? '');

/** For any event: a phone-typed target (Okta's `MobilePhone`) never keeps its number in clear. */
export const maskPhoneTargets: NameMask = (name, type) => (isPhoneType(type) ? maskPhone(name) : name);

/** For phone verification events: also mask phone-like text in any other target's name. */
export const maskPhoneTargetsStrict: NameMask = (name, type) =>
  isPhoneType(type) ? maskPhone(name) : maskPhoneNumbersIn(name);
