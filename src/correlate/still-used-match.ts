/**
 * "Revoked but still used" (issue 12 §4): how an Okta person named by a REVOKE decision is matched to the
 * user an ASA or OPA audit event names, and how strongly the event ties to the revoked group. Pure.
 *
 * Who is who. ASA auditsV2 events name the ASA user (its user name, resolved from `related_objects`);
 * OPA events come from the Okta System Log (`pam.*`) and name the Okta user itself (record.user = the Okta
 * login, details.oktaUserId = the Okta id). A revoked person claims these names, and an event matches when
 * one of its names is claimed:
 *   - OPA: the Okta user id (`okta-id`) or the Okta login (`okta-login`): the same account, exact;
 *   - ASA_USER_MAP (`map`): the ASA/OPA user name an admin wrote down for the Okta login or id — when a
 *     person has an entry, their login is not matched by name at all (the entry exists because it is wrong);
 *   - otherwise the ASA user name equals the Okta login (`login`), or the login's part before @ (`local-part`),
 *     case-insensitively: ASA creates users from Okta with the login's local part as the user name by default.
 * Where this can be wrong: `local-part` cannot tell alice@acme.com from alice@acme.co.uk (the index says
 * when one ASA name matched several revoked people); an Okta login or ASA user renamed after the fact
 * matches nobody (or someone else) until ASA_USER_MAP says otherwise; service accounts and shared ASA
 * users ("deploy", "admin") whose name happens to equal a person's local part are flagged as that person.
 *
 * How strong. ASA/OPA groups are Okta groups pushed to ASA/OPA and carry the Okta group's name, and a
 * project (a set of servers) is reached through the groups added to it. The tie is `strong` when the event
 * names a group equal to the revoked resource, when the event's project was linked to that group by a
 * stored `project.add_group` event, or when the revoked resource is the ASA/OPA app itself; otherwise the
 * person still uses ASA/OPA, but possibly through another group: `name` only.
 */
import type { AsaRecord, Party, Resource } from '../domain/records.ts';

/** how the person was recognised, most exact first */
export type MatchHow = 'okta-id' | 'okta-login' | 'map' | 'login' | 'local-part';

export const HOW_RANK: Record<MatchHow, number> = { 'okta-id': 0, 'okta-login': 1, map: 2, login: 3, 'local-part': 4 };

/** a name a revoked person claims: `asa:<user>` for ASA user names, `opa:<login>` and `okta:<id>` for OPA */
export interface NameClaim {
  key: string;
  how: MatchHow;
}

/**
 * The audit types that mean a person used access (`details.type`; the System Log twins carry `pam.`):
 * logging in to a server, credentials issued for one, a vaulted secret or password revealed, a checkout.
 * Admin changes and `auth_token.issue` (every client sign-in, with or without any server access) are not use.
 */
const USE_TYPES: Record<string, string> = {
  'server.ssh_login': 'server login',
  'user_creds.issue': 'credentials issued',
  'gateway_creds.issue': 'credentials issued through a gateway',
  'resource.checkout': 'checkout',
  'secret.reveal': 'secret revealed',
  'server_account.password.reveal': 'server account password revealed',
  'service_account.password.reveal': 'service account password revealed',
};

/** `project.add_group` / `project.remove_group`: which groups reach a project's servers */
export const PROJECT_LINK_TYPES: Record<string, 'add' | 'remove'> = { 'project.add_group': 'add', 'project.remove_group': 'remove' };

/** the ASA type without the System Log's `pam.` prefix */
export function baseType(type: string): string {
  return type.startsWith('pam.') ? type.slice(4) : type;
}

/** every type string (with and without `pam.`) whose records the correlation reads */
export function isCorrelatedType(type: string): boolean {
  const t = baseType(type);
  return t in USE_TYPES || t in PROJECT_LINK_TYPES;
}

/** OPA records come from the System Log (src/normalize/opa.ts marks them `details.origin = "OPA"`) */
const isOpa = (r: AsaRecord): boolean => r.details?.origin === 'OPA' || r.type.startsWith('pam.');

/**
 * What kind of use an ASA/OPA record is, or undefined when it is not use. A refused attempt (outcome
 * FAILURE / DENY) is the revoke working, not a use.
 */
export function useKind(r: AsaRecord): string | undefined {
  const label = USE_TYPES[baseType(r.type)];
  if (label === undefined) return undefined;
  const outcome = r.outcome?.toUpperCase();
  return outcome === undefined || outcome === 'SUCCESS' || outcome === 'ALLOW' ? label : undefined;
}

/** the names an ASA/OPA record gives its user under (see NameClaim) */
export function activityKeys(r: AsaRecord): string[] {
  const keys: string[] = [];
  const user = r.user?.trim().toLowerCase();
  if (isOpa(r)) {
    if (user) keys.push(`opa:${user}`);
    const id = r.details?.oktaUserId?.trim().toLowerCase();
    if (id) keys.push(`okta:${id}`);
  } else if (user) {
    keys.push(`asa:${user}`);
  }
  return keys;
}

/**
 * The names a revoked person claims. `userMap` is ASA_USER_MAP (keys lower-cased Okta logins or ids).
 */
export function claimsOf(p: Party, userMap: Readonly<Record<string, string>>): NameClaim[] {
  const login = p.login?.trim().toLowerCase();
  const id = p.id?.trim().toLowerCase();
  const claims: NameClaim[] = [];
  if (id) claims.push({ key: `okta:${id}`, how: 'okta-id' });
  if (login) claims.push({ key: `opa:${login}`, how: 'okta-login' });
  const mapped = (login !== undefined ? userMap[login] : undefined) ?? (id !== undefined ? userMap[id] : undefined);
  if (mapped !== undefined) {
    const name = mapped.trim().toLowerCase();
    claims.push({ key: `asa:${name}`, how: 'map' }, { key: `opa:${name}`, how: 'map' });
  } else if (login) {
    claims.push({ key: `asa:${login}`, how: 'login' });
    const at = login.indexOf('@');
    if (at > 0) claims.push({ key: `asa:${login.slice(0, at)}`, how: 'local-part' });
  }
  return claims;
}

/** the user name part of a claim or activity key ("asa:alice" → "alice"), for lookups and text */
export function nameOf(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/**
 * Whether a revoke can have removed ASA/OPA access at all: ASA/OPA access comes from Okta groups pushed to
 * it and from the ASA/OPA app assignment, so revoking some other application cannot (those are not watched).
 * A resource of unknown type is watched: better a flag by name than silence.
 */
export function canGrantServerAccess(r: Resource): boolean {
  return r.type?.toUpperCase() !== 'APPLICATION' || isAsaApp(r);
}

/** the ASA or OPA app itself (Okta's catalog names: "Okta Advanced Server Access", "Okta Privileged Access") */
function isAsaApp(r: Resource): boolean {
  return r.type?.toUpperCase() === 'APPLICATION' && /advanced server access|privileged access|scaleft/i.test(r.name ?? '');
}

/**
 * Group names an ASA/OPA record names: every resolved detail whose key says group (ASA: `group`, OPA:
 * `groups`), except OPA's resource groups (containers of projects, not groups of people).
 */
export function groupsNamed(r: AsaRecord): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(r.details ?? {})) {
    if (!/group/i.test(key) || /resource/i.test(key)) continue;
    for (const part of value.split(',')) {
      const name = part.trim();
      if (name) out.push(name);
    }
  }
  return out;
}

/** the project a record is about (ASA resolves it on the record; OPA names it in details) */
export function projectOf(r: AsaRecord): string | undefined {
  return r.project ?? r.details?.project;
}

/**
 * Why the use is tied to the revoked resource, when it is ("strong"), else undefined ("by name only").
 * `groupsOfProject` says which groups (lower-cased names) reach a project, as the stored events tell.
 */
export function strongEvidence(revoked: Resource, use: AsaRecord, groupsOfProject: (project: string) => ReadonlySet<string> | undefined): string | undefined {
  if (isAsaApp(revoked)) return `the revoked app ${revoked.name ?? ''} is ASA/OPA itself`;
  const name = revoked.name?.trim();
  if (!name) return undefined;
  const wanted = name.toLowerCase();
  if (groupsNamed(use).some((g) => g.toLowerCase() === wanted)) return `the event names group ${name}, the revoked group`;
  const project = projectOf(use);
  if (project !== undefined && groupsOfProject(project.toLowerCase())?.has(wanted)) return `project ${project} is reached through group ${name}, the revoked group`;
  return undefined;
}

/** how a match reads on a card and in /oig: "ASA user alice = local part of alice@example.com" */
export function howText(how: MatchHow, activityUser: string | undefined, p: Party): string {
  const user = activityUser ?? 'the user';
  const login = p.login ?? p.id ?? 'the Okta user';
  switch (how) {
    case 'okta-id':
      return `OPA event for Okta user id ${p.id ?? ''}`;
    case 'okta-login':
      return `OPA event for Okta user ${login}`;
    case 'map':
      return `ASA/OPA user ${user} = ASA_USER_MAP entry for ${login}`;
    case 'login':
      return `ASA user ${user} = Okta login ${login}`;
    case 'local-part':
      return `ASA user ${user} = local part of ${login}`;
  }
}
