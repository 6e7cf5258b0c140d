/**
 * The system alerts of SPEC §4: phone verification, API tokens, org rate limits, imports, authenticators.
 * Targets become readable "Type: name" strings; a few debugData facts are kept for the card.
 */
import type { SystemAlertRecord } from '../domain/records.ts';
import { API_TOKEN_EVENT_TYPES, PHONE_VERIFICATION_EVENT_TYPES, RATE_LIMIT_EVENT_TYPES } from '../okta/event-types.ts';
import type { Base } from './base.ts';
import { compactMerge } from './compact.ts';
import { debugData, field, partyOf, pick, realText, targetsOfType, text, type RawEvent } from './fields.ts';
import { maskPhone, maskPhoneNumbersIn, maskPhoneTargets, maskPhoneTargetsStrict } from './phone.ts';
import { targetLabels } from './targets.ts';

type Data = Readonly<Record<string, string>>;
type Facts = Record<string, string | undefined>;

/** Org rate-limit debugData keys, as in Okta's system.org.rate_limit.warning sample (via Panther). */
const RATE_LIMIT_KEYS = [
  'rateLimitScopeType',
  'threshold',
  'warningPercent',
  'timeSpan',
  'timeUnit',
  'rateLimitSecondsToReset',
];

function rateLimitFacts(raw: RawEvent, data: Data): Facts {
  const facts: Facts = {};
  for (const key of RATE_LIMIT_KEYS) facts[key] = pick(data, key);
  // The "URL Pattern" target names the API that hit the limit; Okta puts the pattern in its id.
  const pattern = targetsOfType(raw, 'URL Pattern')[0];
  facts['urlPattern'] = pattern && (text(field(pattern, 'id')) ?? realText(field(pattern, 'displayName')));
  return facts;
}

function tokenFacts(raw: RawEvent): Facts {
  const names = targetsOfType(raw, 'Token')
    .map((t) => partyOf(t)?.name)
    .filter((n): n is string => n !== undefined);
  return { tokenName: names.length > 0 ? names.join(', ') : undefined };
}

function phoneFacts(raw: RawEvent, data: Data): Facts {
  const mobile = targetsOfType(raw, 'MobilePhone')[0];
  const phone = pick(data, 'phoneNumber') ?? (mobile && realText(field(mobile, 'alternateId')));
  return {
    phoneNumber: phone === undefined ? undefined : maskPhone(phone),
    countryCallingCode: pick(data, 'countryCallingCode'),
    smsProvider: pick(data, 'smsProvider'),
  };
}

function definedOnly(facts: Facts): Record<string, string> | undefined {
  const entries = Object.entries(facts).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function normalizeSystemAlert(raw: RawEvent, base: Base): SystemAlertRecord {
  const data = debugData(raw);
  const type = base.type;
  const phone = (PHONE_VERIFICATION_EVENT_TYPES as readonly string[]).includes(type);
  let facts: Facts = {};
  if ((RATE_LIMIT_EVENT_TYPES as readonly string[]).includes(type)) facts = rateLimitFacts(raw, data);
  else if ((API_TOKEN_EVENT_TYPES as readonly string[]).includes(type)) facts = tokenFacts(raw);
  else if (phone) facts = phoneFacts(raw, data);

  const record: SystemAlertRecord = compactMerge(base, {
    kind: 'system_alert' as const,
    family: 'system' as const,
    targets: targetLabels(raw, phone ? maskPhoneTargetsStrict : maskPhoneTargets),
    facts: definedOnly(facts),
  });
  if (phone && record.msg !== undefined) record.msg = maskPhoneNumbersIn(record.msg);
  if (phone && record.reason !== undefined) record.reason = maskPhoneNumbersIn(record.reason);
  return record;
}
