/**
 * How a check's finding reads on the task card, in Verify's answer and in a drift reply: why Okta skipped
 * the removal, the next step that follows from it (edit rule X, remove from group Y, change it in source
 * directory Z, unassign directly), and links to those objects in the Okta Admin Console. Text is plain (names
 * from Okta are untrusted and shown literally); links are CardLinks, the only links a card renders as links.
 */
import type { CardLink } from '../cards/card.ts';
import { clip } from '../cards/format.ts';
import { adminLinks, type AdminLinks, type AppRef } from '../okta/admin-links.ts';
import type { GrantSource } from '../okta/principal-access.ts';
import type { AccessCheck, AccessPresent, GroupCause } from './access-check.ts';
import type { ManualTask } from './task.ts';

export interface CauseText {
  /** the "Why Okta skipped it" text */
  why: string;
  /** the next step, without "Next step:" */
  next: string;
  /** the objects named, in the Okta Admin Console */
  links: CardLink[];
}

/** room for each text on a card (Slack allows 3000 characters per section) */
const MAX_TEXT = 1400;
const MAX_EXPRESSION = 200;

const q = (s: string) => `"${s}"`;
const appName = (app: AppRef, fallback: string) => app.label ?? fallback;

export function whoOf(task: ManualTask): string {
  return task.principal.name ?? task.principal.login ?? task.principal.id ?? 'the principal';
}

export function whatOf(task: ManualTask): string {
  return task.resource.name ?? task.resource.id ?? 'the resource';
}

function ruleList(c: Extract<GroupCause, { kind: 'rule' }>): string {
  return c.rules
    .slice(0, 3)
    .map((r) => `${q(r.name)} (${r.id}${r.expression ? `, expression ${clip(r.expression, MAX_EXPRESSION)}` : ''})`)
    .join(', ') + (c.rules.length > 3 ? ` and ${c.rules.length - 3} more` : '');
}

/** why the user is in the group; `inApp` when the group is why an app is assigned (that is the reason then) */
function groupWhy(c: GroupCause, who: string, inApp = false): string {
  const g = c.group;
  switch (c.kind) {
    case 'rule':
      return `the group rule${c.rules.length > 1 ? 's' : ''} ${ruleList(c)} put${c.rules.length > 1 ? '' : 's'} ${who} in ${g.name}, and Okta does not remove a membership a rule manages`;
    case 'imported':
      return `${g.name} is an APP_GROUP imported from ${c.source ? appName(c.source, c.source.name ?? c.source.id) : 'a directory or app'}: its members are managed at the source, not in Okta`;
    case 'built_in':
      return `${g.name} is a BUILT_IN group: every user is a member and Okta cannot remove one`;
    case 'direct':
      return inApp
        ? `${who} is a direct member of ${g.name}`
        : `${who} is a direct member of ${g.name} (an Okta group that no active group rule fills); Okta did not say why it skipped the removal`;
  }
}

/** what to do about the membership; `app` when the group carries an app */
function groupNext(c: GroupCause, who: string, app?: AppRef): string {
  const g = c.group;
  switch (c.kind) {
    case 'rule': {
      const names = c.rules.slice(0, 3).map((r) => q(r.name)).join(', ');
      return `edit the group rule ${names} (its expression, or ${who}'s profile attribute it matches) so ${who} no longer matches, or deactivate it`;
    }
    case 'imported': {
      const src = c.source ? ` ${appName(c.source, c.source.name ?? c.source.id)}` : '';
      return `remove ${who} from ${g.name} in the source directory${src}; Okta follows at the next import`;
    }
    case 'built_in':
      return app
        ? `unassign the app from ${g.name} and assign it to a narrower group`
        : `a membership of ${g.name} cannot be removed: close the task and review why this item was certified`;
    case 'direct':
      return `remove ${who} from ${g.name} in Okta`;
  }
}

/** the Admin Console pages where a membership is changed */
function groupLinks(c: GroupCause, L: AdminLinks): CardLink[] {
  const g = c.group;
  const group = { label: `Group ${g.name} in the Okta Admin Console`, url: L.group(g.id) };
  switch (c.kind) {
    case 'rule':
      return [{ label: 'Group rules in the Okta Admin Console (Directory › Groups › Rules)', url: L.groupRules() }, group];
    case 'imported':
      return c.source ? [group, { label: `${appName(c.source, c.source.name ?? c.source.id)} in the Okta Admin Console`, url: L.appAssignments(c.source) }] : [group];
    default:
      return [group];
  }
}

const MAX_LINKS = 5;

function uniqueLinks(links: CardLink[]): CardLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.url) && seen.add(l.url)).slice(0, MAX_LINKS);
}

function grantsText(grants: GrantSource[] | undefined): string {
  if (!grants || grants.length === 0) return '';
  const list = grants.slice(0, 4).map((g) => `${g.grantType}${g.grantMethod ? ` (${g.grantMethod})` : ''}`).join(', ');
  return ` Identity Governance grants for this app: ${list}.`;
}

function grantsNext(grants: GrantSource[] | undefined): string {
  if (!grants?.some((g) => g.grantType.toUpperCase() === 'POLICY')) return '';
  return ' The access is also granted by the app\'s entitlement policy (grant type POLICY): change the policy in Identity Governance, or Okta grants it again.';
}

export function explainPresent(found: AccessPresent, task: ManualTask, orgUrl: string): CauseText {
  const L = adminLinks(orgUrl);
  const who = whoOf(task);
  const c = found.cause;
  let why: string;
  let next: string;
  let links: CardLink[];
  switch (c.kind) {
    case 'membership':
      why = `${groupWhy(c.via, who)}.`;
      next = `${groupNext(c.via, who)}, then Verify again.`;
      links = groupLinks(c.via, L);
      break;
    case 'app_direct': {
      const name = appName(c.app, whatOf(task));
      why = `${name} is assigned to ${who} directly (scope USER); Okta did not remove the assignment.${grantsText(found.grants)}`;
      next = `unassign ${who} in Applications › ${name} › Assignments, then mark the task done.${grantsNext(found.grants)}`;
      links = [{ label: `${name} assignments in the Okta Admin Console`, url: L.appAssignments(c.app) }];
      break;
    }
    case 'app_group': {
      const name = appName(c.app, whatOf(task));
      const app = { label: `${name} assignments in the Okta Admin Console`, url: L.appAssignments(c.app) };
      if (c.via.length === 0) {
        why = `${name} is assigned to ${who} through a group (scope GROUP), but none of ${who}'s groups is assigned to the app now; Okta may still be updating the assignment.${grantsText(found.grants)}`;
        next = 'Verify again in a few minutes; if it stays, look at the app\'s group assignments.';
        links = [app];
        break;
      }
      const groups = c.via.map((v) => v.group.name).join(', ');
      why = `${name} is assigned to ${who} through the group ${groups} (scope GROUP), and Okta cannot remove an assignment that comes from a group: ${c.via.map((v) => groupWhy(v, who, true)).join('; ')}.${grantsText(found.grants)}`;
      next = `${c.via.map((v) => groupNext(v, who, c.app)).join('; and ')}, then Verify again.${grantsNext(found.grants)}`;
      links = [...c.via.flatMap((v) => groupLinks(v, L)), app];
      break;
    }
  }
  if (task.principal.id) links.push({ label: `${who} in the Okta Admin Console`, url: L.user(task.principal.id) });
  return { why: clip(why, MAX_TEXT), next: clip(next.charAt(0).toUpperCase() + next.slice(1), MAX_TEXT), links: uniqueLinks(links) };
}

/** the first words of an answer: what is there */
function headline(found: AccessPresent, task: ManualTask): string {
  const who = whoOf(task);
  const what = whatOf(task);
  const c = found.cause;
  if (c.kind === 'membership') return `Still a member: ${who} is in ${c.via.group.name}.`;
  if (c.kind === 'app_direct') return `Still assigned: ${who} is assigned to ${what} directly.`;
  if (c.via.length === 0) return `Still assigned through a group: ${who} has ${what}.`;
  return `Still assigned through group ${c.via.map((v) => v.group.name).join(', ')}: ${who} has ${what} because of that group.`;
}

export function goneText(task: ManualTask): string {
  const rel = task.resource.type?.toUpperCase() === 'GROUP' ? 'a member of' : 'assigned to';
  return `Gone: ${whoOf(task)} is no longer ${rel} ${whatOf(task)}.`;
}

/** the whole answer to "Verify in Okta"; `urls`: the Admin Console links as plain URLs (a text-only answer) */
export function verifyAnswer(check: AccessCheck, task: ManualTask, orgUrl: string, urls = true): string {
  if (check.access === 'unknown') {
    return `Could not tell whether ${whoOf(task)} still has ${whatOf(task)}: ${check.why}. Nothing was changed; press Verify again later.`;
  }
  if (check.access === 'gone' && check.userDeleted) return `${goneText(task)} Okta no longer has this user: deleted, with all of its access. Mark the task done.`;
  if (check.access === 'gone') return `${goneText(task)} Okta no longer shows this access: if you removed it, mark the task done.`;
  const t = explainPresent(check, task, orgUrl);
  // a private answer is text only: the links as plain URLs (the thread reply carries them as links)
  const plain = urls && t.links.length > 0 ? ` In the Okta Admin Console: ${t.links.map((l) => l.url).join(' , ')}` : '';
  return `${headline(check, task)} Why Okta skipped it: ${t.why} Next step: ${t.next}${plain}`;
}

/** the first line of a drift reply: what came back */
export function cameBackText(found: AccessPresent, task: ManualTask): string {
  const who = whoOf(task);
  const what = whatOf(task);
  const c = found.cause;
  if (c.kind === 'membership') return `Access came back: ${who} is in ${c.via.group.name} again.`;
  if (c.kind === 'app_direct') return `Access came back: ${who} is assigned to ${what} again (directly).`;
  const via = c.via.length > 0 ? `, through the group ${c.via.map((v) => v.group.name).join(', ')}` : ', through a group';
  return `Access came back: ${who} has ${what} again${via}.`;
}
