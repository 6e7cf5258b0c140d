/**
 * A scriptable fake of Okta's System Log API on 127.0.0.1 (port 0): `GET /api/v1/logs` with
 * `Authorization: SSWS <token>`, `since`, `filter` (`eventType eq "…"` joined with `or`), `limit`,
 * `sortOrder=ASCENDING` and `after`. It behaves like Okta's polling requests (System Log API reference):
 * events in the order they were added (their persistence order), a `rel="next"` link on every page,
 * the end shown by an empty page.
 *
 *   const okta = await FakeOkta.start();
 *   okta.add(decideEvent({ decision: 'REVOKE' }));
 *   okta.script({ status: 503 });           // the next call only
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogEvent } from '../../src/okta/log-event.ts';
import type { Scripted } from './fake-asa.ts';

export const FAKE_OKTA_TOKEN = '00fakeOktaApiTokenForTests0123456789abcd';

export interface LogsRequest {
  query: URLSearchParams;
  authorization?: string;
}

export class FakeOkta {
  url = '';
  readonly token: string;
  readonly events: LogEvent[] = [];
  readonly requests: LogsRequest[] = [];
  private readonly scripted: Scripted[] = [];
  private answers = 0;
  private readonly server: Server;

  private constructor(token: string) {
    this.token = token;
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(token = FAKE_OKTA_TOKEN): Promise<FakeOkta> {
    const fake = new FakeOkta(token);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { OKTA_ORG_URL: this.url, OKTA_API_TOKEN: this.token, ...extra };
  }

  add(...events: LogEvent[]): void {
    this.events.push(...events);
  }

  script(...responses: Scripted[]): void {
    this.scripted.push(...responses);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method !== 'GET' || url.pathname !== '/api/v1/logs') return send(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
    this.requests.push({ query: url.searchParams, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const s = this.scripted.shift();
    if (s) {
      res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
      res.end(s.body ?? '{}');
      return;
    }
    if (req.headers.authorization !== `SSWS ${this.token}`) return send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    const q = url.searchParams;
    const filter = q.get('filter') ?? '';
    const types = new Set([...filter.matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]!));
    if (filter !== '' && filter.replace(/eventType eq "[^"]+"( or )?/g, '') !== '') {
      return send(res, 400, { errorCode: 'E0000053', errorSummary: `Invalid filter '${filter}'` });
    }
    const since = Date.parse(q.get('since') ?? '');
    const limit = Math.min(1000, Number(q.get('limit') ?? 100));
    // `after` is opaque to clients; here "<index of the last event returned>.<answer number>", so it differs each time
    const after = Number((q.get('after') ?? '-1').split('.')[0]);
    const matches: Array<{ at: number; e: LogEvent }> = [];
    this.events.forEach((e, at) => {
      if (at <= after) return;
      if (types.size > 0 && !types.has(e.eventType ?? '')) return;
      if (!Number.isNaN(since) && Date.parse(e.published ?? '') < since) return;
      matches.push({ at, e });
    });
    const page = matches.slice(0, limit);
    // polling requests: a next link always, from the last event returned (or the same place)
    const next = new URLSearchParams(q);
    next.delete('since');
    next.set('after', `${page.at(-1)?.at ?? after}.${++this.answers}`);
    res.writeHead(200, {
      'content-type': 'application/json',
      link: [`<${this.url}/api/v1/logs?${q.toString()}>; rel="self"`, `<${this.url}/api/v1/logs?${next.toString()}>; rel="next"`],
    });
    res.end(JSON.stringify(page.map((m) => m.e)));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
