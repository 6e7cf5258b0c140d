/**
 * Every Management API read of Verify and of the background checks goes through here: one authorized GET
 * (okta-auth.ts `oktaGet`, so an OAuth token is renewed the same way as for the System Log), paced, and
 * lists read to their end.
 *
 * - Paging: Okta's lists return at most `limit` items (200 for users' groups, app groups and group rules)
 *   and a `Link: <…>; rel="next"` header with an `after` cursor while more exist. `list()` follows it to
 *   the last page. A next link to another origin is refused (the credential must never leave the org), a
 *   link seen twice or more than `maxPages` pages is an error: a list that could not be read to its end is
 *   never answered as if it were whole.
 * - Rate limits: Okta sends `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch seconds) on every
 *   answer. When the remaining count reaches 0 the next call waits until the reset (HttpClient already
 *   waits out a 429 that carries the reset). The buckets are per endpoint family in Okta; one gate for all
 *   of them is stricter than needed and simple, and these reads are few.
 * - Pacing: at most `maxInFlight` calls at a time (default 2), so the background checks of a campaign with
 *   hundreds of skipped items never take more than a sliver of the org's rate limit.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { AppError } from '../errors.ts';
import type { HttpClient, JsonResponse } from '../http-client/http-client.ts';
import { nextLink } from '../http-client/link-header.ts';
import { oktaGet, type OktaConnection } from './okta-auth.ts';

/** Okta's largest page for the lists Verify reads (Users, Groups and Applications API references) */
export const OKTA_LIST_LIMIT = 200;

export interface OktaReaderOptions {
  /** calls in flight at once (default 2) */
  maxInFlight?: number;
  /** the most pages one list may have (default 1000: 200 000 items) */
  maxPages?: number;
  /** the longest pause for an exhausted rate limit; a longer one fails the read (default 60 s) */
  maxPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** a list could not be read to its end, or Okta's answer is not what the API reference describes */
export class OktaReadError extends AppError {
  constructor(message: string) {
    super('OKTA_READ', message, 502);
    this.name = 'OktaReadError';
  }
}

const SLACK_MS = 250;

export class OktaReader {
  private readonly origin: string;
  private readonly maxInFlight: number;
  private readonly maxPages: number;
  private readonly maxPauseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** epoch ms before which no call may start (an exhausted rate limit), 0 = none */
  private pausedUntil = 0;

  constructor(
    readonly okta: OktaConnection,
    private readonly http: HttpClient,
    o: OktaReaderOptions = {},
  ) {
    this.origin = new URL(okta.orgUrl).origin;
    this.maxInFlight = Math.max(1, o.maxInFlight ?? 2);
    this.maxPages = o.maxPages ?? 1000;
    this.maxPauseMs = o.maxPauseMs ?? 60_000;
    this.sleep = o.sleep ?? ((ms) => sleepMs(ms).then(() => undefined));
    this.now = o.now ?? Date.now;
  }

  /** one GET of `path` (relative to the org) or of a full URL of the org */
  async get(label: string, pathOrUrl: string): Promise<JsonResponse> {
    const url = pathOrUrl.startsWith('/') ? `${this.origin}${pathOrUrl}` : pathOrUrl;
    if (new URL(url).origin !== this.origin) throw new OktaReadError(`${label}: refused to send the Okta credential to ${new URL(url).origin}`);
    await this.acquire();
    try {
      await this.waitForRateLimit(label);
      const res = await oktaGet(this.http, this.okta, label, url);
      this.noteRateLimit(res.headers);
      return res;
    } finally {
      this.release();
    }
  }

  /** every item of a list, page after page (`path` carries `limit`) */
  async list(label: string, path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let url: string | undefined = `${this.origin}${path}`;
    for (let page = 1; url !== undefined; page++) {
      if (page > this.maxPages) throw new OktaReadError(`${label}: more than ${this.maxPages} pages; stopped reading (the list was not read to its end)`);
      seen.add(url);
      const res = await this.get(label, url);
      if (!Array.isArray(res.body)) throw new OktaReadError(`${label}: page ${page} is not a list (${describe(res.body)})`);
      items.push(...res.body);
      const next = nextLink(res.headers.link, res.url);
      if (next !== undefined && new URL(next).origin !== this.origin) {
        throw new OktaReadError(`${label}: the next page link points to another host (${new URL(next).origin}); the credential is not sent there`);
      }
      if (next !== undefined && seen.has(next)) throw new OktaReadError(`${label}: the next page link repeats an earlier page (page ${page + 1}); stopped reading`);
      url = next;
    }
    return items;
  }

  private async waitForRateLimit(label: string): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait <= 0) return;
    if (wait > this.maxPauseMs) {
      throw new OktaReadError(`${label}: Okta's rate limit is used up for ${Math.ceil(wait / 1000)} s more (X-Rate-Limit-Remaining 0); try again later`);
    }
    await this.sleep(wait);
  }

  /** X-Rate-Limit-Remaining 0: nothing more until X-Rate-Limit-Reset (epoch seconds) */
  private noteRateLimit(headers: IncomingHttpHeaders): void {
    const remaining = header(headers, 'x-rate-limit-remaining');
    const reset = header(headers, 'x-rate-limit-reset');
    if (remaining === undefined || reset === undefined || !/^\d+$/.test(remaining.trim()) || !/^\d+(\.\d+)?$/.test(reset.trim())) return;
    if (Number(remaining) > 0) return;
    const until = Number(reset) * 1000 + SLACK_MS;
    if (until > this.now()) this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function describe(body: unknown): string {
  if (typeof body === 'object' && body !== null) return `keys: ${Object.keys(body).slice(0, 5).join(', ') || 'none'}`;
  return typeof body;
}
