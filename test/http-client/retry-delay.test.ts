import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from '../../src/http-client/retry-delay.ts';

const NOW = Date.parse('2025-08-01T12:00:00.000Z');
const policy = { baseDelayMs: 500, maxDelayMs: 60_000 };
const half = () => 0; // jitter at its lowest: 50% of the exponential step

describe('retryDelay', () => {
  it.each([
    ['Retry-After seconds', 429, { 'retry-after': '2' }, 1, { ms: 2000, reason: 'retry-after', tooLong: false }],
    ['Retry-After on a 503', 503, { 'retry-after': '3' }, 1, { ms: 3000, reason: 'retry-after', tooLong: false }],
    ['Retry-After as an HTTP date', 429, { 'retry-after': 'Fri, 01 Aug 2025 12:00:05 GMT' }, 1, { ms: 5000, reason: 'retry-after', tooLong: false }],
    ["ASA's X-RateLimit-Reset (epoch seconds)", 429, { 'x-ratelimit-reset': String(NOW / 1000 + 4) }, 1, { ms: 4250, reason: 'rate-limit-reset', tooLong: false }],
    ["Okta's X-Rate-Limit-Reset (epoch seconds)", 429, { 'x-rate-limit-reset': String(NOW / 1000 + 7) }, 1, { ms: 7250, reason: 'rate-limit-reset', tooLong: false }],
    ['a reset already past (clock skew) backs off', 429, { 'x-rate-limit-reset': String(NOW / 1000 - 30) }, 1, { ms: 250, reason: 'backoff', tooLong: false }],
    ['Okta sends the reset on every answer: ignored on a 503', 503, { 'x-rate-limit-reset': String(NOW / 1000 + 50) }, 1, { ms: 250, reason: 'backoff', tooLong: false }],
    ['backoff doubles per attempt', 503, {}, 3, { ms: 1000, reason: 'backoff', tooLong: false }],
    ['a network error backs off', undefined, undefined, 2, { ms: 500, reason: 'backoff', tooLong: false }],
    ['asked for too long: capped and flagged', 429, { 'retry-after': '3600' }, 1, { ms: 60_000, reason: 'retry-after', tooLong: true }],
    ['garbage headers fall back to backoff', 429, { 'retry-after': 'soon', 'x-rate-limit-reset': 'never' }, 1, { ms: 250, reason: 'backoff', tooLong: false }],
  ])('%s', (_name, status, headers, attempt, expected) => {
    expect(retryDelay(status, headers, attempt, policy, NOW, half)).toEqual(expected);
  });

  it('never backs off longer than maxDelayMs', () => {
    expect(retryDelay(500, {}, 30, policy, NOW, () => 1).ms).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, and nothing else', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 10 ', NOW)).toBe(10_000);
    expect(parseRetryAfter('Fri, 01 Aug 2025 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('-1', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});
