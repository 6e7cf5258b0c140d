/**
 * Okta Workflows attribution (SPEC §4): actions taken by Okta Workflows are logged under the account that
 * authorized the Workflows connection, and `client.userAgent.rawUserAgent` is "Azuqua" (the company Okta
 * bought to build Workflows). The actor of such an event is therefore the connection owner, not a person at work.
 */
import type { Party, WorkflowsAttribution } from '../domain/records.ts';
import { asObject, field, partyFromActor, text, type RawEvent } from './fields.ts';

export function rawUserAgent(raw: RawEvent): string | undefined {
  const client = asObject(field(raw, 'client'));
  return text(field(asObject(field(client, 'userAgent')), 'rawUserAgent'));
}

export function workflowsAttribution(raw: RawEvent): WorkflowsAttribution | undefined {
  const agent = rawUserAgent(raw);
  if (agent === undefined || !agent.toLowerCase().includes('azuqua')) return undefined;
  return { owner: partyFromActor(raw) ?? {} };
}

/** Words that mark an account as a non-human one; matched inside longer words too ("oktaworkflows"). */
const SERVICE_WORDS = ['svc', 'service', 'workflow', 'automation', 'integration', 'system', 'noreply', 'donotreply'];
/** Short markers matched only as whole words, so "Abbot" or "Capital" do not count. */
const SERVICE_TOKENS = new Set(['bot', 'api', 'wf']);

/** "jane.doe", "jean-luc.picard", "o'brien.pat", optionally with trailing digits. */
const PERSON_LOCAL_PART = /^\p{L}+(?:['’-]\p{L}+)*(?:[._]\p{L}+(?:['’-]\p{L}+)*)+\d*$/u;
const CAPITALIZED_WORD = /^\p{Lu}[\p{Ll}'’-]+$/u;

function words(s: string): string[] {
  return s
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2') // camelCase: "oktaBot" → "okta Bot"
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function looksLikeService(s: string): boolean {
  const squashed = s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (SERVICE_WORDS.some((w) => squashed.includes(w))) return true;
  return words(s).some((w) => SERVICE_TOKENS.has(w));
}

/**
 * Heuristic for the SPEC §4 warning: does the Workflows connection owner look like a person (who may leave,
 * taking the connection with them) rather than a service account? A person has a first.last login or a
 * display name of two or more capitalized words, and no service marker in either.
 */
export function looksLikePerson(party: Party | undefined): boolean {
  if (party === undefined) return false;
  const login = party.login ?? '';
  const name = party.name ?? '';
  if (looksLikeService(login) || looksLikeService(name)) return false;
  const local = login.split('@')[0] ?? '';
  if (PERSON_LOCAL_PART.test(local)) return true;
  const parts = name.trim().split(/\s+/);
  const capitalized = parts.filter((p) => CAPITALIZED_WORD.test(p)).length;
  return parts.length >= 2 && parts.length <= 4 && capitalized >= 2;
}
