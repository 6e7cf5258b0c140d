import { describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { isFutureTimestamp } from '../../adapters/slack/bolt/request-guard.ts';
import { answerOigCommand } from '../../adapters/slack/commands/oig-command.ts';
import { classify, classifyCode, fixFor } from '../../adapters/slack/delivery/slack-errors.ts';

describe('isFutureTimestamp', () => {
  const now = 1_700_000_000_000;
  it.each([
    [String(now / 1000), false],
    [String(now / 1000 + 300), false],
    [String(now / 1000 + 301), true],
    [String(now / 1000 - 10_000), false], // stale: Bolt refuses it
    ['not-a-number', false],
    [undefined, false],
  ])('%s → %s', (header, future) => {
    expect(isFutureTimestamp(header, now)).toBe(future);
  });
});

/** the lines the answer's sections show (plain_text: what the reader sees) */
function blockLines(reply: { blocks: unknown[] }): string[] {
  return (reply.blocks as Array<{ type: string; text?: { text: string } }>).filter((b) => b.type === 'section').flatMap((b) => b.text?.text.split('\n') ?? []);
}

describe('answerOigCommand', () => {
  it('lists every command of SPEC §5, privately', () => {
    const reply = answerOigCommand('help');
    expect(reply.response_type).toBe('ephemeral');
    expect(blockLines(reply).filter((l) => l.startsWith('/oig'))).toHaveLength(10);
  });
  it.each(['', '  ', 'HELP'])('treats %j as help', (text) => {
    expect(answerOigCommand(text).text).toContain('Commands:');
    expect(answerOigCommand(text).text).not.toContain('not available');
  });
  it('answers unknown words with the help and names the word, clipped and escaped', () => {
    expect(blockLines(answerOigCommand('frobnicate'))).toContain('“frobnicate” is not an oig command. Commands:');
    const long = answerOigCommand(`<${'x'.repeat(100)}`);
    expect(blockLines(long).join('\n')).toContain(`“<${'x'.repeat(39)}”`);
    // the mrkdwn fallback escapes what was typed
    expect(long.text).toContain(`&lt;${'x'.repeat(39)}`);
    expect(long.text).not.toContain('<x');
  });
});

describe('classifying Slack failures', () => {
  it.each([
    ['channel_not_found', 'channel'],
    ['not_in_channel', 'channel'],
    ['is_archived', 'channel'],
    ['invalid_auth', 'token'],
    ['account_inactive', 'token'],
    ['token_revoked', 'token'],
    ['missing_scope', 'token'],
    ['invalid_blocks', 'rejected'],
    ['msg_too_long', 'rejected'],
    ['message_not_found', 'gone'],
    ['thread_not_found', 'thread'],
    ['internal_error', 'transient'],
    ['something_new', 'unknown'],
  ])('%s is %s', (code, kind) => {
    expect(classifyCode(code).kind).toBe(kind);
  });

  it('reads Retry-After from a rate-limited error, and treats network and HTTP errors as transient', () => {
    expect(classify(new webApi.WebAPIRateLimitedError(3))).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(classify(new webApi.WebAPIHTTPError(503, 'down', {}))).toEqual({ kind: 'transient', code: 'http_503' });
    expect(classify(new webApi.WebAPIRequestError(new Error('ECONNREFUSED')))).toEqual({ kind: 'transient', code: 'unreachable' });
    expect(classify(new Error('Retry header did not contain a valid timeout')).kind).toBe('transient');
  });

  it('tells people what to fix', () => {
    expect(fixFor('not_in_channel', 'C1')).toContain('/invite @oig');
    expect(fixFor('channel_not_found', 'C1')).toContain('SLACK_CHANNEL');
    expect(fixFor('invalid_auth')).toContain('SLACK_BOT_TOKEN');
  });
});
