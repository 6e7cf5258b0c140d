/**
 * What a failed Slack Web API call means for a card waiting in the outbox. The Web API answers HTTP 200
 * with `{ok:false, error:"<code>"}` for refusals and 429 + Retry-After when rate limited; the client is
 * built with `rejectRateLimitedCalls: true` and no retries, so every failure arrives here once and the
 * delivery loop alone decides when to try again (STACK-NOTES: otherwise web-api pauses its whole queue).
 */
import { webApi } from '@slack/bolt';
import type { Failure } from '../../../src/delivery/failure.ts';

export type { Failure } from '../../../src/delivery/failure.ts';

const TOKEN = new Set([
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope',
  'no_permission', 'team_access_not_granted', 'org_login_required', 'ekm_access_denied', 'team_disabled',
]);
const CHANNEL = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'channel_is_archived']);
const REJECTED = new Set([
  'invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'too_many_blocks', 'invalid_arguments',
  'no_text', 'invalid_attachments', 'invalid_metadata_format', 'message_limit_exceeded',
]);
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
const THREAD = new Set(['thread_not_found', 'invalid_thread_ts']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited']);

export function classifyCode(code: string): Failure {
  if (TOKEN.has(code)) return { kind: 'token', code };
  if (CHANNEL.has(code)) return { kind: 'channel', code };
  if (REJECTED.has(code)) return { kind: 'rejected', code };
  if (GONE.has(code)) return { kind: 'gone', code };
  if (THREAD.has(code)) return { kind: 'thread', code };
  if (TRANSIENT.has(code)) return { kind: 'transient', code };
  return { kind: 'unknown', code };
}

export function classify(err: unknown): Failure {
  if (err instanceof webApi.WebAPIRateLimitedError) return { kind: 'rate_limited', retryAfterMs: Math.max(0, err.retryAfter) * 1000 };
  if (err instanceof webApi.WebAPIPlatformError) return classifyCode(err.data.error);
  if (err instanceof webApi.WebAPIHTTPError) return { kind: 'transient', code: `http_${err.statusCode}` };
  if (err instanceof webApi.WebAPIRequestError) return { kind: 'transient', code: 'unreachable' };
  // e.g. a 429 without Retry-After ("Retry header did not contain a valid timeout"), an abort
  return { kind: 'transient', code: err instanceof Error ? err.name : 'error' };
}

/** What an admin must do about a permanent failure: logged once and shown in /oig stats. */
export function fixFor(code: string, channel?: string): string {
  const where = channel ? `channel ${channel}` : 'the channel';
  switch (code) {
    case 'channel_not_found':
      return `${where} does not exist or the bot cannot see it: set SLACK_CHANNEL (or SLACK_CHANNEL_<FAMILY>) to a channel id such as C0123456789 and invite the bot there`;
    case 'not_in_channel':
      return `the bot is not a member of ${where}: type /invite @oig in that channel`;
    case 'is_archived':
    case 'channel_is_archived':
      return `${where} is archived: unarchive it or point SLACK_CHANNEL (or SLACK_CHANNEL_<FAMILY>) at another channel`;
    case 'restricted_action':
      return `the workspace does not let the bot post in ${where}: ask a Slack admin to allow it`;
    case 'missing_scope':
      return 'the bot token lacks a scope this bot needs: add the scopes of manifest.yml under OAuth & Permissions, reinstall the app and copy the new SLACK_BOT_TOKEN';
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack refused SLACK_BOT_TOKEN (${code}): reinstall the app to the workspace and copy the new Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN`;
    default:
      return `Slack refused the call (${code}); see https://docs.slack.dev/reference/methods/chat.postMessage#errors`;
  }
}
