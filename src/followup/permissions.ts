/**
 * Who may press the work-queue buttons (SPEC §5): deny by default. OIG_ALLOWED_USERS lists Slack user ids,
 * emails, Teams AAD object ids or UPNs, lower-cased by the config; an empty list allows nobody.
 */
import type { Actor } from './task.ts';

export function isAllowed(allowed: readonly string[], actor: Actor): boolean {
  const mine = [actor.id, actor.email].filter((v): v is string => !!v).map((v) => v.toLowerCase());
  return mine.some((v) => allowed.includes(v));
}

/**
 * Whether the adapter must look up the clicker's email (Slack: users.info, scopes users:read and
 * users:read.email). Only when some entry looks like an email: a list of ids needs no extra API call.
 */
export function needsEmail(allowed: readonly string[]): boolean {
  return allowed.some((v) => v.includes('@'));
}
