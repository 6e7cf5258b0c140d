/**
 * System alerts of SPEC §4 (rate limits, API tokens, imports, phone verification, authenticators).
 * They exist to be noticed, so every one is at least a warning; a rate-limit violation is danger.
 */
import type { SystemAlertRecord } from '../domain/records.ts';
import type { Card } from './card.ts';
import { MAX_TITLE, clip, facts, notes, partyText, timeText, workflowsText } from './format.ts';

const TITLES: Record<string, string> = {
  'system.org.rate_limit.warning': 'Okta rate limit warning',
  'system.org.rate_limit.violation': 'Okta rate limit exceeded',
  'system.api_token.create': 'Okta API token created',
  'system.api_token.revoke': 'Okta API token revoked',
  'system.import.start': 'Okta import started',
  'system.import.complete': 'Okta import completed',
  'system.import.roadblock': 'Okta import blocked',
  'system.sms.send_phone_verification_message': 'SMS phone verification sent',
  'system.voice.send_phone_verification_call': 'Voice phone verification call placed',
  'security.authenticator.lifecycle.activate': 'Okta authenticator activated',
  'security.authenticator.lifecycle.deactivate': 'Okta authenticator deactivated',
};

/** "warningPercent" → "Warning percent": debugData keys are camelCase. */
function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function systemAlertTitle(type: string, msg?: string): string {
  // Okta has more rate-limit types than the two named ones (system.operation.rate_limit.* in the samples).
  if (type.includes('rate_limit.violation')) return TITLES['system.org.rate_limit.violation'] ?? type;
  if (type.includes('rate_limit.warning')) return TITLES['system.org.rate_limit.warning'] ?? type;
  return TITLES[type] ?? (msg?.trim() || type);
}

export function buildSystemAlertCard(r: SystemAlertRecord): Card {
  const debug = Object.entries(r.facts ?? {}).map(([k, v]): [string, string] => [labelOf(k), v]);
  const targets = r.targets && r.targets.length > 0 ? r.targets.join('; ') : undefined;
  return {
    kind: 'system_alert',
    family: 'SYSTEM',
    severity: r.type.includes('violation') ? 'danger' : 'warning',
    title: clip(systemAlertTitle(r.type, r.msg), MAX_TITLE),
    facts: facts(
      ['Event', r.type],
      ['By', r.actor ? partyText(r.actor) : undefined],
      ['Automation', workflowsText(r)],
      ...debug,
      ['Targets', targets],
      ['Outcome', r.outcome],
      ['At', timeText(r.at)],
    ),
    notes: notes(r.msg),
    eventIds: [r.id],
    at: r.at,
  };
}
