/**
 * Event types the bot does not know (SPEC §4: unknown types are stored, not dropped). Okta's own
 * `displayMessage` (in the base) and the targets are enough to say what happened. Phone-typed targets
 * (Classic Engine SMS/voice events name a `MobilePhone`) are masked here too.
 */
import type { Family, OtherRecord } from '../domain/records.ts';
import type { Base } from './base.ts';
import { compactMerge } from './compact.ts';
import type { RawEvent } from './fields.ts';
import { maskPhoneTargets } from './phone.ts';
import { targetLabels } from './targets.ts';

export function normalizeOther(raw: RawEvent, base: Base, family: Family = 'other'): OtherRecord {
  return compactMerge(base, { kind: 'other' as const, family, targets: targetLabels(raw, maskPhoneTargets) });
}
