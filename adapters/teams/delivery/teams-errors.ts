/**
 * What a failed Bot Framework Connector call means for a card in the Teams outbox (src/delivery/failure.ts).
 * Teams answers HTTP errors with `{"error":{"code","message"}}`; the connector client's own retries are off
 * (bot-framework/transport.ts), so the paced delivery loop decides about every failure:
 *
 *   429 with Retry-After      wait that long on this conversation        (rate_limited)
 *   429 without, 5xx, no answer   back off and retry, never drop          (transient)
 *   401                       the app id / secret are refused            (token)
 *   403, 404 on a post        the bot is not in that team / chat any more (channel: parked, kept)
 *   403, 404 on a reply       the thread may be gone: a new thread instead (thread; there a 403/404 is channel)
 *   404 on an edit            the message is gone: post the card anew    (gone)
 *   400, 413                  this card can never be accepted as it is   (rejected: once more as text, then dropped)
 */
import type { ChatCall } from '../../../src/delivery/chat-transport.ts';
import type { Failure } from '../../../src/delivery/failure.ts';
import { ConnectorCallError } from '../teams-types.ts';

export function classifyTeams(err: unknown, call: ChatCall): Failure {
  if (!(err instanceof ConnectorCallError)) return { kind: 'transient', code: err instanceof Error ? err.name : 'error' };
  const { status, code } = err;
  if (status === undefined) return { kind: 'transient', code: code ?? 'unreachable' };
  const named = code ?? `http_${status}`;
  if (status === 429) return err.retryAfterSeconds !== undefined ? { kind: 'rate_limited', retryAfterMs: err.retryAfterSeconds * 1000 } : { kind: 'transient', code: named };
  if (status >= 500 || status === 408) return { kind: 'transient', code: named };
  if (status === 401) return { kind: 'token', code: named };
  // a thread whose first message was deleted answers like a conversation the bot is not in
  if ((status === 403 || status === 404) && call === 'reply') return { kind: 'thread', code: named };
  if (status === 404) return call === 'update' ? { kind: 'gone', code: named } : { kind: 'channel', code: named };
  if (status === 403) return { kind: 'channel', code: named };
  if (status === 400 || status === 413) return { kind: 'rejected', code: named };
  return { kind: 'unknown', code: named };
}

/** What an admin must do about a permanent failure: logged once and shown in /oig stats. */
export function fixForTeams(code: string, conversation?: string): string {
  const where = conversation ? `conversation ${conversation.slice(0, 60)}` : 'the conversation';
  switch (code) {
    case 'BotNotInConversationRoster':
    case 'ConversationNotFound':
    case 'http_404':
    case 'http_403':
      return `the bot is no longer in ${where}: add the app to that team again, or write "@OIG oig unsubscribe" there to stop trying`;
    case 'ConversationBlockedByUser':
      return `a person blocked the bot in ${where}: they can unblock it, or write "oig unsubscribe" in that chat`;
    case 'http_401':
    case 'Unauthorized':
      return 'Bot Framework refused the bot\'s credentials: check TEAMS_APP_ID, TEAMS_APP_PASSWORD (the client secret may have expired) and TEAMS_TENANT_ID';
    default:
      return `Teams refused the call (${code}); see https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis`;
  }
}
