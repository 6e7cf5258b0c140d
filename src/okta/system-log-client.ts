/**
 * Pages of the Okta System Log: `GET {OKTA_ORG_URL}/api/v1/logs?since=…&filter=…&limit=…&sortOrder=ASCENDING`
 * with the Okta credential (okta-auth.ts), next pages from the `rel="next"` Link header (SPEC §3).
 *
 * Without `until` and sorted ascending this is what Okta calls a polling request: events are selected by
 * the time Okta persisted them, so a late event is not skipped, and the next link is always present, even
 * when a page is empty. The end is therefore an empty page (System Log API reference, "Polling requests").
 */
import { AppError } from '../errors.ts';
import type { HttpClient } from '../http-client/http-client.ts';
import { nextLink } from '../http-client/link-header.ts';
import { oktaGet, type OktaConnection } from './okta-auth.ts';

export interface SystemLogPage {
  events: unknown[];
  next?: string;
  /** Okta's clock at the answer (the Date header), ms */
  serverTime?: number;
}

/** Okta allows 1000 events per page (limit: "Integer between 0 and 1000") */
export const SYSTEM_LOG_MAX_LIMIT = 1000;

export class SystemLogClient {
  constructor(
    private readonly http: HttpClient,
    private readonly okta: OktaConnection,
  ) {}

  firstPageUrl(since: Date, filter: string, limit: number): string {
    const q = new URLSearchParams({ since: since.toISOString(), filter, limit: String(limit), sortOrder: 'ASCENDING' });
    return `${this.okta.orgUrl}/api/v1/logs?${q.toString()}`;
  }

  async page(url: string): Promise<SystemLogPage> {
    const res = await oktaGet(this.http, this.okta, 'Okta System Log page', url);
    if (!Array.isArray(res.body)) {
      const got = typeof res.body === 'object' && res.body !== null ? `keys: ${Object.keys(res.body).join(', ') || 'none'}` : typeof res.body;
      throw new AppError('OKTA_BAD_PAGE', `Okta System Log page: the answer is not a list of events (${got})`, 502);
    }
    const next = nextLink(res.headers.link, res.url);
    if (next !== undefined && new URL(next).origin !== new URL(this.okta.orgUrl).origin) {
      // the credential must never be sent to another host
      throw new AppError('OKTA_BAD_PAGE', `Okta System Log page: the next link points to another host (${new URL(next).origin})`, 502);
    }
    const date = typeof res.headers.date === 'string' ? Date.parse(res.headers.date) : NaN;
    return { events: res.body, ...(next !== undefined ? { next } : {}), ...(Number.isNaN(date) ? {} : { serverTime: date }) };
  }
}
