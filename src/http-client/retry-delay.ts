/**
 * How long to wait before retrying a call that was refused (429) or failed on the server (5xx).
 * Pure, so the rules are table-tested without waiting.
 *
 * Servers say it three ways: `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3), ASA's
 * `X-RateLimit-Reset` and Okta's `X-Rate-Limit-Reset` (both the epoch second at which the limit resets;
 * Okta sends it on every response, so it is only read for a 429). Without any, exponential backoff.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface BackoffPolicy {
  /** first backoff, doubled per attempt (jittered between 50% and 100%) */
  baseDelayMs: number;
  /** never wait longer than this in one go */
  maxDelayMs: number;
}

export interface RetryDelay {
  ms: number;
  /** what decided it, for the log */
  reason: 'retry-after' | 'rate-limit-reset' | 'backoff';
  /** the server asked for longer than maxDelayMs */
  tooLong: boolean;
}

/** a small margin on reset times: the server's clock and ours differ a little */
const RESET_SLACK_MS = 250;

export function retryDelay(
  status: number | undefined,
  headers: IncomingHttpHeaders | undefined,
  attempt: number,
  policy: BackoffPolicy,
  now: number,
  random: () => number = Math.random,
): RetryDelay {
  const asked = askedDelay(status, headers, now);
  if (asked) return { ...asked, ms: Math.min(asked.ms, policy.maxDelayMs), tooLong: asked.ms > policy.maxDelayMs };
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const ms = Math.min(policy.maxDelayMs, Math.round(exp * (0.5 + random() / 2)));
  return { ms, reason: 'backoff', tooLong: false };
}

function askedDelay(status: number | undefined, headers: IncomingHttpHeaders | undefined, now: number): Omit<RetryDelay, 'tooLong'> | undefined {
  if (!headers) return undefined;
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return { ms: retryAfter, reason: 'retry-after' };
  if (status !== 429) return undefined;
  const reset = header(headers, 'x-ratelimit-reset') ?? header(headers, 'x-rate-limit-reset');
  if (reset === undefined || !/^\d+(\.\d+)?$/.test(reset)) return undefined;
  const ms = Math.ceil(Number(reset) * 1000 - now);
  // a reset already past means the clocks differ: back off instead of hammering the limit
  return ms > 0 ? { ms: ms + RESET_SLACK_MS, reason: 'rate-limit-reset' } : undefined;
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → milliseconds from now */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // an HTTP date names its day or month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone reads "-1" as a year
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
