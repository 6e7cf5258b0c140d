/**
 * "Verify in Okta" (SPEC §5): does the principal still have the resource, why Okta may have skipped the
 * removal, and what to do next. Okta skips removals of access it did not grant directly (SPEC §4): a
 * membership from a group rule, an app assigned through a group, a group imported from a directory.
 */
import type { OktaApi } from '../okta/okta-api.ts';
import type { ManualTask } from './task.ts';

export interface VerifyResult {
  access: 'present' | 'gone' | 'unknown';
  text: string;
}

export const VERIFY_NOT_CONFIGURED =
  'Verify needs the Okta API: set OKTA_ORG_URL (https://your-org.okta.com) and OKTA_API_TOKEN '
  + '(a token of an admin who may read users, groups, apps and group rules), then restart the bot.';

const GONE_NEXT = 'Okta no longer shows this access: if you removed it, mark the task done.';

export async function verifyAccess(okta: OktaApi, task: ManualTask): Promise<VerifyResult> {
  const userId = task.principal.id;
  const resourceId = task.resource.id;
  const who = task.principal.name ?? task.principal.login ?? userId ?? 'the principal';
  const what = task.resource.name ?? resourceId ?? 'the resource';
  if (!userId || !resourceId) {
    return { access: 'unknown', text: `Cannot verify: Okta's event did not name the ${userId ? 'resource' : 'principal'} id.` };
  }
  const type = task.resource.type?.toUpperCase();
  if (type === 'GROUP') return verifyGroup(okta, userId, resourceId, who, what);
  if (type === 'APPLICATION') return verifyApp(okta, userId, resourceId, who, what);
  return { access: 'unknown', text: `Cannot verify a resource of type ${task.resource.type ?? 'unknown'}: only groups and applications.` };
}

async function verifyGroup(okta: OktaApi, userId: string, groupId: string, who: string, what: string): Promise<VerifyResult> {
  const groups = await okta.userGroups(userId);
  const g = groups.find((x) => x.id === groupId);
  if (!g) return { access: 'gone', text: `Gone: ${who} is no longer a member of ${what}. ${GONE_NEXT}` };
  const rules = (await okta.rulesAssigning(groupId)).filter((r) => r.status === undefined || r.status === 'ACTIVE');
  if (rules.length > 0) {
    const names = rules.map((r) => r.name).join(', ');
    return {
      access: 'present',
      text: `Still a member: ${who} is in ${g.name}. Likely reason it was skipped: the membership comes from the group rule ${names}. `
        + 'Next step: change the rule (or the user attribute it matches), then verify again.',
    };
  }
  if (g.type === 'APP_GROUP') {
    return {
      access: 'present',
      text: `Still a member: ${who} is in ${g.name}, a group imported from a directory or app. `
        + 'Likely reason it was skipped: Okta does not manage its memberships. Next step: remove the membership in the source directory.',
    };
  }
  return {
    access: 'present',
    text: `Still a member: ${who} is in ${g.name}, with no group rule assigning it. Likely reason it was skipped: a policy-assigned group or entitlement. `
      + 'Next step: remove the user from the group in Okta (Directory › Groups), then mark the task done.',
  };
}

async function verifyApp(okta: OktaApi, userId: string, appId: string, who: string, what: string): Promise<VerifyResult> {
  const assignment = await okta.appUser(appId, userId);
  if (!assignment) return { access: 'gone', text: `Gone: ${who} is no longer assigned to ${what}. ${GONE_NEXT}` };
  if (assignment.scope?.toUpperCase() === 'GROUP') {
    const [appGroups, userGroups] = await Promise.all([okta.appGroupIds(appId), okta.userGroups(userId)]);
    const through = userGroups.filter((g) => appGroups.includes(g.id)).map((g) => g.name);
    const via = through.length > 0 ? through.join(', ') : 'a group (not found among the first 200 groups)';
    return {
      access: 'present',
      text: `Still assigned through group ${via}: ${who} has ${what} because of that group. Likely reason it was skipped: `
        + 'Okta cannot remove an assignment that comes from a group. Next step: remove the user from the group, or assign the app to a narrower group.',
    };
  }
  return {
    access: 'present',
    text: `Still assigned: ${who} is assigned to ${what} directly. Next step: unassign the user in Okta (Applications › ${what} › Assignments), then mark the task done.`,
  };
}
