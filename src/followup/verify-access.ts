/**
 * "Verify in Okta" (SPEC §5) and the background checks: does the principal still have the resource, and
 * why could Okta not remove it. Okta skips removals of access it did not grant directly (SPEC §4); the
 * API shows which case it is:
 *
 * - a group: the user's groups (every page) → the group's `type` (APP_GROUP, BUILT_IN) and the ACTIVE
 *   group rules whose `actions.assignUserToGroups.groupIds` contain it (every page of the org's rules);
 * - an app: the assignment's `scope` (`GET /api/v1/apps/{appId}/users/{userId}`): USER is direct, GROUP
 *   comes through a group, found among the user's groups that are assigned to the app (every page of
 *   both), each with its own cause as above; and the Identity Governance grants when available.
 *
 * A user Okta no longer has (404 for the user itself) has none of it: gone, and the answer says the user
 * was deleted. Any other failure (timeout, error, a list not read to its end) answers "could not tell,
 * because …".
 */
import type { OktaApi, OktaGroup } from '../okta/okta-api.ts';
import type { AccessCheck, GroupCause } from './access-check.ts';
import type { ManualTask } from './task.ts';

export const VERIFY_NOT_CONFIGURED =
  'Verify needs the Okta API: set OKTA_ORG_URL (https://your-org.okta.com) and either OKTA_API_TOKEN '
  + '(a token of an admin who may read users, groups, apps and group rules) or an OAuth service app '
  + '(OKTA_CLIENT_ID + OKTA_PRIVATE_KEY + OKTA_PRIVATE_KEY_ID, scopes okta.users.read okta.groups.read okta.apps.read), then restart the bot.';

/** groups named per app assignment at most (a user in many groups carrying the app) */
const MAX_VIA = 5;

export async function checkAccess(okta: OktaApi, task: ManualTask): Promise<AccessCheck> {
  const userId = task.principal.id;
  const resourceId = task.resource.id;
  if (!userId || !resourceId) {
    return { access: 'unknown', why: `Okta's event did not name the ${userId ? 'resource' : 'principal'} id` };
  }
  const type = task.resource.type?.toUpperCase();
  try {
    if (type === 'GROUP') return await checkGroup(okta, userId, resourceId);
    if (type === 'APPLICATION') return await checkApp(okta, userId, resourceId);
  } catch (err) {
    // HttpError and OktaReadError messages name the call and what went wrong, never the credential
    return { access: 'unknown', why: err instanceof Error ? err.message : String(err) };
  }
  return { access: 'unknown', why: `only groups and applications can be checked, not a resource of type ${task.resource.type ?? 'unknown'}` };
}

async function checkGroup(okta: OktaApi, userId: string, groupId: string): Promise<AccessCheck> {
  const groups = await okta.userGroups(userId);
  if (!groups) return { access: 'gone', userDeleted: true };
  const g = groups.find((x) => x.id === groupId);
  if (!g) return { access: 'gone' };
  return { access: 'present', cause: { kind: 'membership', via: await groupCause(okta, g) } };
}

async function checkApp(okta: OktaApi, userId: string, appId: string): Promise<AccessCheck> {
  const assignment = await okta.appUser(appId, userId);
  // 404: not assigned; said why when the reason is that the user is gone from Okta altogether
  if (!assignment) return (await okta.userExists(userId).catch(() => true)) ? { access: 'gone' } : { access: 'gone', userDeleted: true };
  const app = (await okta.app(appId)) ?? { id: appId };
  const access = await okta.principalAccess(appId, userId);
  const grants = access.available && access.grants.length > 0 ? { grants: access.grants } : {};
  if (assignment.scope?.toUpperCase() !== 'GROUP') return { access: 'present', cause: { kind: 'app_direct', app }, ...grants };
  const [appGroups, userGroups] = [new Set(await okta.appGroupIds(appId)), (await okta.userGroups(userId)) ?? []];
  const carrying = userGroups.filter((g) => appGroups.has(g.id)).slice(0, MAX_VIA);
  const via: GroupCause[] = [];
  for (const g of carrying) via.push(await groupCause(okta, g));
  return { access: 'present', cause: { kind: 'app_group', app, via }, ...grants };
}

async function groupCause(okta: OktaApi, g: OktaGroup): Promise<GroupCause> {
  const group = { id: g.id, name: g.name, ...(g.type ? { type: g.type } : {}) };
  const type = g.type?.toUpperCase();
  if (type === 'BUILT_IN') return { kind: 'built_in', group };
  if (type === 'APP_GROUP') {
    const source = g.sourceAppId ? ((await okta.app(g.sourceAppId)) ?? { id: g.sourceAppId }) : undefined;
    return { kind: 'imported', group, ...(source ? { source } : {}) };
  }
  const rules = await okta.activeRulesAssigning(g.id);
  if (rules.length > 0) {
    return { kind: 'rule', group, rules: rules.map((r) => ({ id: r.id, name: r.name, ...(r.expression ? { expression: r.expression } : {}) })) };
  }
  return { kind: 'direct', group };
}
