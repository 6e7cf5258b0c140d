/**
 * The clicker as the work queue knows people (src/followup/task.ts Actor). OIG_ALLOWED_USERS may list
 * Teams AAD object ids or UPNs (SPEC §2): the activity carries the AAD object id; the UPN needs the
 * roster (TeamsInfo.getMember), asked only when the list holds an entry with `@` (permissions.ts
 * needsEmail), as Slack asks users.info only then.
 */
import type { Actor } from '../../../src/followup/task.ts';
import type { Turn } from '../teams-types.ts';

export async function teamsActor(turn: Turn, withUpn: boolean): Promise<Actor> {
  const from = turn.activity.from;
  const base: Actor = { id: from?.aadObjectId ?? from?.id ?? 'unknown', via: 'teams', ...(from?.name ? { name: from.name } : {}) };
  if (!withUpn || !from?.id) return base;
  const member = await turn.member(from.id);
  const upn = member?.userPrincipalName ?? member?.email;
  return {
    ...base,
    ...(member?.aadObjectId && !from.aadObjectId ? { id: member.aadObjectId } : {}),
    ...(member?.name && !base.name ? { name: member.name } : {}),
    ...(upn ? { email: upn } : {}),
  };
}
