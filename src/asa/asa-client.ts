/**
 * Pages of ASA audit events: `GET {base}/v1/teams/{team}/auditsV2?count=N[&offset=X]` (SPEC §6). The next
 * page is the `rel="next"` URL of the Link header; none means this is the last page. Any 401 renews the
 * token and repeats the call once. The same code serves Okta Privileged Access hosts
 * (`https://<org>.pam.okta.com`): only the base URL differs.
 */
import { AppError } from '../errors.ts';
import type { HttpClient } from '../http-client/http-client.ts';
import { HttpError } from '../http-client/http-error.ts';
import { nextLink } from '../http-client/link-header.ts';
import { teamUrl, type AsaCredentials, type AsaTokenSource } from './asa-token.ts';

/** the API returns at most 1000 events a call (SPEC §6); more means something is wrong with the answer */
export const ASA_MAX_PAGE = 1000;

export interface AsaPage {
  events: unknown[];
  /** `related_objects`: key → {type, object}; {} when the page has none */
  related: Record<string, unknown>;
  /** absolute URL of the next page, if the server gave one */
  next?: string;
}

export class AsaClient {
  constructor(
    private readonly http: HttpClient,
    private readonly tokens: AsaTokenSource,
    private readonly creds: AsaCredentials,
  ) {}

  /** the page that starts after `offset` (the oldest events when undefined) */
  pageUrl(count: number, offset?: string): string {
    const q = new URLSearchParams({ count: String(count) });
    if (offset !== undefined) q.set('offset', offset);
    return `${teamUrl(this.creds, 'auditsV2')}?${q.toString()}`;
  }

  async page(url: string): Promise<AsaPage> {
    const res = await this.authorized(url);
    const body = res.body;
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { list?: unknown }).list)) {
      const got = typeof body === 'object' && body !== null ? `keys: ${Object.keys(body).join(', ') || 'none'}` : typeof body;
      throw new AppError('ASA_BAD_PAGE', `ASA auditsV2 page: the answer has no "list" of events (${got})`, 502);
    }
    const b = body as { list: unknown[]; related_objects?: unknown };
    if (b.list.length > ASA_MAX_PAGE) {
      throw new AppError('ASA_BAD_PAGE', `ASA auditsV2 page: ${b.list.length} events in one answer, more than the ${ASA_MAX_PAGE} the API returns at most`, 502);
    }
    const related = typeof b.related_objects === 'object' && b.related_objects !== null && !Array.isArray(b.related_objects) ? (b.related_objects as Record<string, unknown>) : {};
    const next = nextLink(res.headers.link, res.url);
    if (next !== undefined && new URL(next).origin !== new URL(this.creds.baseUrl).origin) {
      // the bearer token must never be sent to another host
      throw new AppError('ASA_BAD_PAGE', `ASA auditsV2 page: the next link points to another host (${new URL(next).origin})`, 502);
    }
    return next === undefined ? { events: b.list, related } : { events: b.list, related, next };
  }

  private async authorized(url: string) {
    const token = await this.tokens.get();
    try {
      return await this.http.json({ label: 'ASA auditsV2 page', method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 401) throw err;
      // expired early or revoked: one new token, one more try (SPEC §6 "renew … on any 401")
      this.tokens.invalidate(token);
      const fresh = await this.tokens.get();
      return this.http.json({ label: 'ASA auditsV2 page', method: 'GET', url, headers: { authorization: `Bearer ${fresh}` } });
    }
  }
}
