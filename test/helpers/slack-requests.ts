/**
 * Requests as Slack sends them to /slack/events: signed with the app's signing secret (HMAC-SHA256 of
 * `v0:<timestamp>:<body>`, hex, in `x-slack-signature: v0=<hex>`, the timestamp in
 * `x-slack-request-timestamp`), slash commands and button clicks as `application/x-www-form-urlencoded`
 * exactly (STACK-NOTES: with a charset suffix Bolt would parse them as JSON).
 */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedOptions {
  /** seconds since epoch; now unless given */
  timestamp?: number;
  secret?: string;
  /** overrides the computed signature (to send a wrong one) */
  signature?: string;
  contentType?: string;
}

/** POSTs `body` to `${base}/slack/events`, signed */
export function postSlack(base: string, body: string, o: SignedOptions = {}): Promise<Response> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? slackSignature(o.secret ?? SIGNING_SECRET, timestamp, body),
    },
    body,
  });
}

/** the form body of a slash command, with the fields Slack sends */
export function commandBody(text: string, command = '/oig', over: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: 'C0CERT0001',
    channel_name: 'oig',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command,
    text,
    api_app_id: 'A0OIG',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.invalid/commands/T0FAKE/1/abc',
    trigger_id: '1.2.3',
    ...over,
  }).toString();
}

export function postSlashCommand(base: string, text: string, o: SignedOptions = {}): Promise<Response> {
  return postSlack(base, commandBody(text), o);
}
