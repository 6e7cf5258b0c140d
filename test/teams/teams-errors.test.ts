import { describe, expect, it } from 'vitest';
import { classifyTeams, fixForTeams } from '../../adapters/teams/delivery/teams-errors.ts';
import { ConnectorCallError } from '../../adapters/teams/teams-types.ts';
import type { Failure } from '../../src/delivery/failure.ts';

const refused = (status: number | undefined, code?: string, retryAfterSeconds?: number) => new ConnectorCallError(`Teams answered ${status ?? 'nothing'}`, status, code, retryAfterSeconds);

describe('classifyTeams', () => {
  it.each<[string, ConnectorCallError, 'post' | 'update', Failure]>([
    ['429 with Retry-After', refused(429, undefined, 2), 'post', { kind: 'rate_limited', retryAfterMs: 2000 }],
    ['429 with Retry-After 0', refused(429, 'TooManyRequests', 0), 'update', { kind: 'rate_limited', retryAfterMs: 0 }],
    ['429 without Retry-After', refused(429), 'post', { kind: 'transient', code: 'http_429' }],
    ['500', refused(500), 'post', { kind: 'transient', code: 'http_500' }],
    ['502', refused(502, 'BadGateway'), 'post', { kind: 'transient', code: 'BadGateway' }],
    ['503', refused(503), 'update', { kind: 'transient', code: 'http_503' }],
    ['408', refused(408), 'post', { kind: 'transient', code: 'http_408' }],
    ['no answer', refused(undefined), 'post', { kind: 'transient', code: 'unreachable' }],
    ['no answer, with a code', refused(undefined, 'ECONNREFUSED'), 'post', { kind: 'transient', code: 'ECONNREFUSED' }],
    ['401', refused(401), 'post', { kind: 'token', code: 'http_401' }],
    ['401 Unauthorized', refused(401, 'Unauthorized'), 'update', { kind: 'token', code: 'Unauthorized' }],
    ['403 not in the roster', refused(403, 'BotNotInConversationRoster'), 'post', { kind: 'channel', code: 'BotNotInConversationRoster' }],
    ['403 on an edit', refused(403, 'ConversationBlockedByUser'), 'update', { kind: 'channel', code: 'ConversationBlockedByUser' }],
    ['404 on a post', refused(404), 'post', { kind: 'channel', code: 'http_404' }],
    ['404 on a post, named', refused(404, 'ConversationNotFound'), 'post', { kind: 'channel', code: 'ConversationNotFound' }],
    ['404 on an edit', refused(404), 'update', { kind: 'gone', code: 'http_404' }],
    ['400', refused(400, 'BadArgument'), 'post', { kind: 'rejected', code: 'BadArgument' }],
    ['413', refused(413), 'update', { kind: 'rejected', code: 'http_413' }],
    ['418', refused(418), 'post', { kind: 'unknown', code: 'http_418' }],
    ['409', refused(409, 'Conflict'), 'update', { kind: 'unknown', code: 'Conflict' }],
  ])('%s on %s', (_, err, method, failure) => {
    expect(classifyTeams(err, method)).toEqual(failure);
  });

  it('takes anything but a ConnectorCallError for a transient failure named after it', () => {
    expect(classifyTeams(new Error('socket hang up'), 'post')).toEqual({ kind: 'transient', code: 'Error' });
    expect(classifyTeams(new TypeError('fetch failed'), 'update')).toEqual({ kind: 'transient', code: 'TypeError' });
    expect(classifyTeams('a string', 'post')).toEqual({ kind: 'transient', code: 'error' });
    expect(classifyTeams(undefined, 'post')).toEqual({ kind: 'transient', code: 'error' });
  });
});

describe('fixForTeams', () => {
  it.each(['BotNotInConversationRoster', 'ConversationNotFound', 'http_404', 'http_403'])('%s: add the app again or unsubscribe', (code) => {
    expect(fixForTeams(code, '19:secops@thread.tacv2')).toBe(
      'the bot is no longer in conversation 19:secops@thread.tacv2: add the app to that team again, or write "@OIG oig unsubscribe" there to stop trying',
    );
  });

  it('says "the conversation" when it does not know which, and clips a long id to 60 characters', () => {
    expect(fixForTeams('http_403')).toContain('the bot is no longer in the conversation:');
    const long = `19:${'a'.repeat(100)}@thread.tacv2`;
    expect(fixForTeams('http_404', long)).toContain(`in conversation ${long.slice(0, 60)}: add`);
  });

  it('a person who blocked the bot can unblock it, or the chat can unsubscribe', () => {
    expect(fixForTeams('ConversationBlockedByUser', 'a:1chat')).toBe('a person blocked the bot in conversation a:1chat: they can unblock it, or write "oig unsubscribe" in that chat');
  });

  it.each(['http_401', 'Unauthorized'])('%s: check the app id, password and tenant', (code) => {
    const fix = fixForTeams(code);
    expect(fix).toContain('TEAMS_APP_PASSWORD');
    expect(fix).toContain('TEAMS_APP_ID');
    expect(fix).toContain('TEAMS_TENANT_ID');
  });

  it('names any other code and points at the status code documentation', () => {
    expect(fixForTeams('http_400', '19:x@thread.tacv2')).toBe(
      'Teams refused the call (http_400); see https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis',
    );
  });

  it('gives a fix for every code classifyTeams parks a channel or the token with', () => {
    for (const [status, code] of [[401, undefined], [403, undefined], [404, undefined], [403, 'BotNotInConversationRoster'], [401, 'Unauthorized']] as const) {
      const failure = classifyTeams(refused(status, code), 'post');
      expect(failure.kind === 'token' || failure.kind === 'channel').toBe(true);
      if ('code' in failure) expect(fixForTeams(failure.code)).not.toMatch(/^Teams refused the call/);
    }
  });
});
