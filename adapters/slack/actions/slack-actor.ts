/**
 * The clicker as the work queue knows people (src/followup/task.ts Actor). Slack's payload gives the user
 * id and handle; the email needs users.info with the users:read.email scope, so it is asked only when
 * OIG_ALLOWED_USERS lists an email (permissions.ts needsEmail).
 */
import type { BlockAction, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Actor } from '../../../src/followup/task.ts';

export async function slackActor(user: BlockAction['user'], client: webApi.WebClient, withEmail: boolean, log: Logger): Promise<Actor> {
  const actor: Actor = { id: user.id, via: 'slack', ...((user.name ?? user.username) ? { name: user.name ?? user.username } : {}) };
  if (!withEmail) return actor;
  try {
    const info = await client.users.info({ user: user.id });
    const email = info.user?.profile?.email;
    const name = info.user?.real_name ?? info.user?.profile?.real_name;
    return { ...actor, ...(name ? { name } : {}), ...(email ? { email } : {}) };
  } catch (err) {
    // without the email only the user id can match: say which scope is missing rather than fail the click
    log.warn({ err, user: user.id }, 'users.info failed; matching OIG_ALLOWED_USERS by Slack user id only (needs scopes users:read and users:read.email)');
    return actor;
  }
}
