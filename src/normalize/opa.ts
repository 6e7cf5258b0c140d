/**
 * One Okta Privileged Access (OPA) audit event from the System Log (`pam.*`) → the same AsaRecord the ASA
 * poller makes from auditsV2, so cards, `/oig asa` and exports treat both alike. Pure, never throws.
 *
 * OPA has no auditsV2 endpoint: its audit trail is the Okta System Log (Okta's event type catalog, category
 * asa, 153 `pam.*` types). Such an event is an ordinary LogEvent (test/fixtures/okta/pam.user_creds.issue.*):
 * - `actor` is the Okta principal that acted: a human `User` (Okta id `00u…`, `alternateId` = login) or a
 *   `WorkloadPrincipal` (`opa://team/connection/subject`, no login);
 * - `debugData` names the servers (`serverHostnames`, `servers` = ids, comma-separated), the team
 *   (`teamName`), the client (`clientIp`, `client`), whether MFA was done (`mfaChallengeCompleted`);
 * - `target[]` names the Project, Team, Resource Group, Server, Secret / Secret Path, accounts and groups.
 * debugData is "not a data contract" (Okta), so every key is optional and any others are kept as they come.
 *
 * The record keeps the Okta `eventType` as its type (`pam.server.ssh_login`: a reader sees at once that it came
 * from OPA, and it is the name to look up in Okta's catalog), the Okta `uuid` as its id, and
 * `details.origin = "OPA"`. `user` is the actor's login as OPA shows it (`alternateId`, else its display
 * name, else its id); `details.oktaUserId` is the actor's Okta id when the actor is an Okta `User`, and
 * `details.groups` the (user) groups the event names, comma-separated.
 */
import type { AsaRecord, Party } from '../domain/records.ts';
import { auditTypeOf, isNotableAuditType } from '../asa/notable-types.ts';
import type { Base } from './base.ts';
import { compactMerge } from './compact.ts';
import { actorType, debugData, field, realText, targetType, targetsOf, text, type RawEvent } from './fields.ts';

/** `details.origin` of records made here; ASA poller records have none (they are ASA's by default) */
export const OPA_ORIGIN = 'OPA';

/** long debugData values (JSON of nested objects) are cut: the record is repeated a million times */
const MAX_VALUE = 300;
/** debugData keys kept besides the ones read below; a runaway payload must not bloat the store */
const MAX_EXTRA_KEYS = 24;

export function normalizeOpa(raw: RawEvent, base: Base): AsaRecord {
  const data = debugData(raw);
  const targets = targetNames(raw);
  const actor = base.actor;
  const isUser = (actorType(raw) ?? '').toLowerCase() === 'user';
  const servers = splitList(data.serverHostnames) ?? targets.get('server');
  const project = targets.get('project')?.[0] ?? data.projectName;
  const groups = groupNames(targets, data);
  const details: Record<string, string> = { origin: OPA_ORIGIN };
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value !== '' && details[key] === undefined) details[key] = clip(value);
  };
  put('oktaUserId', isUser ? actor?.id : undefined);
  put('actorType', actorType(raw));
  put('groups', groups?.join(', '));
  // debugData's own names where OPA has them; from the targets otherwise
  put('teamName', data.teamName ?? targets.get('team')?.[0]);
  put('resourceGroup', targets.get('resource group')?.join(', '));
  put('serverHostnames', servers?.join(', '));
  put('secret', (targets.get('secret path') ?? targets.get('secret'))?.join(', '));
  put('account', accountNames(targets)?.join(', '));
  let extra = 0;
  for (const key of Object.keys(data)) {
    if (extra >= MAX_EXTRA_KEYS) break;
    if (details[key] === undefined && data[key] !== '') {
      put(key, data[key]);
      extra++;
    }
  }
  const user = userOf(actor);
  return compactMerge(base, {
    kind: 'asa' as const,
    family: 'asa' as const,
    text: sentence(base.type, who(actor), servers, project, details, base.msg),
    user,
    server: servers?.[0],
    project,
    details,
    notable: isNotableAuditType(base.type) ? (true as const) : undefined,
  });
}

/** The name OPA shows for the actor: its login, else its display name, else its id. */
function userOf(actor: Party | undefined): string | undefined {
  return actor?.login ?? actor?.name ?? actor?.id;
}

/** "Jane Doe (jane.doe@example.com)" for a person, the principal's name for a workload */
function who(actor: Party | undefined): string {
  if (actor?.name && actor.login && actor.name !== actor.login) return `${actor.name} (${actor.login})`;
  return userOf(actor) ?? 'someone';
}

/** Target display names by lower-cased target type, in order: "project" → ["web_servers"] */
function targetNames(raw: RawEvent): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of targetsOf(raw)) {
    const type = targetType(t)?.toLowerCase();
    const name = realText(field(t, 'displayName')) ?? realText(field(t, 'alternateId')) ?? text(field(t, 'id'));
    if (type === undefined || name === undefined) continue;
    const list = out.get(type);
    if (list === undefined) out.set(type, [name]);
    else if (!list.includes(name)) list.push(name);
  }
  return out;
}

/**
 * User groups the event names: group targets (OPA pushes Okta groups and names them as Okta does), and
 * group lists in debugData. A "Resource Group" is OPA's container of projects, not a group of people.
 */
function groupNames(targets: ReadonlyMap<string, string[]>, data: Readonly<Record<string, string>>): string[] | undefined {
  const names: string[] = [];
  for (const [type, list] of targets) {
    if (type.includes('group') && type !== 'resource group') names.push(...list);
  }
  for (const key of ['groups', 'groupNames', 'groupName', 'userGroups', 'group']) names.push(...(splitList(data[key]) ?? []));
  const unique = [...new Set(names)];
  return unique.length > 0 ? unique : undefined;
}

function accountNames(targets: ReadonlyMap<string, string[]>): string[] | undefined {
  const names: string[] = [];
  for (const [type, list] of targets) if (type.endsWith('account')) names.push(...list);
  return names.length > 0 ? names : undefined;
}

/** "a, b,c" → ["a", "b", "c"]; undefined when nothing is in it */
function splitList(value: string | undefined): string[] | undefined {
  const parts = value?.split(',').map((s) => s.trim()).filter((s) => s !== '') ?? [];
  return parts.length > 0 ? parts : undefined;
}

function clip(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/**
 * The readable sentence, worded like the ASA mapper's for the same audit type (Okta's catalog describes
 * each), so a card reads the same whichever product logged it; other types read "<who>: <Okta's message>".
 */
function sentence(
  type: string,
  actor: string,
  servers: string[] | undefined,
  project: string | undefined,
  d: Readonly<Record<string, string>>,
  msg: string | undefined,
): string {
  const where = servers ? `${servers.join(', ')}${project ? ` (project ${project})` : ''}` : undefined;
  switch (auditTypeOf(type)) {
    case 'server.ssh_login':
      if (where) return `${actor} logged in to ${where}`;
      break;
    case 'user_creds.issue':
      if (where) return `${actor} was issued credentials for ${where}`;
      break;
    case 'gateway_creds.issue':
      return `${actor} was issued credentials through a gateway${where ? ` for ${where}` : ''}`;
    case 'auth_token.issue':
      return `${actor} was issued an auth token`;
    case 'secret.reveal':
      return `${actor} revealed secret ${d.secret ?? '(unnamed)'}`;
    case 'server_account.password.reveal':
    case 'service_account.password.reveal':
      return `${actor} revealed the password of ${d.account ?? 'an account'}${where ? ` on ${where}` : ''}`;
    case 'resource.checkout':
      return `${actor} checked out ${d.account ?? d.secret ?? 'a resource'}${where ? ` on ${where}` : ''}`;
  }
  return `${actor}: ${msg ?? type}${where ? ` (${where})` : ''}`;
}

/** "OPA" for records of OPA's System Log events, "ASA" for the ASA poller's */
export function auditOrigin(r: AsaRecord): string {
  return r.details?.origin ?? 'ASA';
}

/**
 * The event's id as its product knows it, for exports an auditor matches against the source: the ASA
 * auditsV2 `id` (records store `asa:<id>`), the Okta System Log `uuid` for OPA.
 */
export function sourceEventId(r: AsaRecord): string {
  return r.id.startsWith('asa:') ? r.id.slice(4) : r.id;
}
