/**
 * A scriptable fake of Okta's System Log API on 127.0.0.1 (port 0): `GET /api/v1/logs` with
 * `Authorization: SSWS <token>`, `since`, `filter` (`eventType eq "…"` or `eventType sw "…"`, joined with `or`), `limit`,
 * `sortOrder=ASCENDING` and `after`. It behaves like Okta's polling requests (System Log API reference):
 * events in the order they were added (their persistence order), a `rel="next"` link on every page,
 * the end shown by an empty page.
 *
 *   const okta = await FakeOkta.start();
 *   okta.add(decideEvent({ decision: 'REVOKE' }));
 *   okta.script({ status: 503 });           // the next call only
 *
 * It also answers the Management API reads of "Verify in Okta" and the background checks (issues 4, 12),
 * from a small directory: `GET /api/v1/users/{id}` and `/api/v1/users/{id}/groups` (404 once `deleteUser`),
 * `/api/v1/apps/{appId}` (404 unless added),
 * `/api/v1/apps/{appId}/users/{userId}` (404 when not assigned; `scope` USER or GROUP),
 * `/api/v1/apps/{appId}/groups`, `/api/v1/groups/rules` and the governance
 * `/governance/api/v1/principal-access?filter=…` (404 unless grants were added). The lists page like Okta:
 * `limit` (at most 200), a `Link: <…>; rel="next"` with an `after` cursor while more items remain.
 *
 *   okta.addGroup('00g1', 'Finance', 'OKTA_GROUP'); okta.addMember('00u1', '00g1');
 *   okta.assignApp('0oa1', '00u1', 'GROUP'); okta.assignAppToGroup('0oa1', '00g1');
 *   okta.addRule('0pr1', 'Finance by department', ['00g1'], 'ACTIVE', 'user.department == "Finance"');
 *   okta.rateLimit = { remaining: 0, reset: epochSeconds };   // X-Rate-Limit-* on every directory answer
 *   okta.stall = (url) => url.searchParams.has('after');       // never answer page 2 (a timeout mid-way)
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
  /** paths of the Management API reads (not the System Log), in order */
  readonly apiRequests: string[] = [];
  /** the query strings of the directory reads, in order (with `apiRequests`) */
  readonly apiQueries: string[] = [];
  private readonly groups = new Map<string, { name: string; type: string; source?: string }>();
  private readonly apps = new Map<string, { name: string; label: string }>();
  private readonly grants = new Map<string, Array<{ grantType: string; grantMethod?: string }>>();
  private readonly members = new Map<string, Set<string>>();
  private readonly appUsers = new Map<string, Map<string, string>>();
  private readonly appGroups = new Map<string, Set<string>>();
  /** users deleted from the org: 404 for the user and its groups, as Okta answers for an unknown user id */
  private readonly deleted = new Set<string>();
  private readonly rules: Array<{ id: string; name: string; status: string; groupIds: string[]; expression?: string }> = [];
  /** X-Rate-Limit-Remaining and -Reset (epoch seconds) sent with every directory answer, when set */
  rateLimit: { remaining: number; reset: number } | undefined;
  /** directory reads this returns true for are never answered (a stalled Okta, to test timeouts) */
  stall: ((url: URL) => boolean) | undefined;
  /** when set, every directory read is answered with this status (Okta down) */
  directoryDown: number | undefined;
  /** extra routes by "METHOD /path" (e.g. the OAuth token endpoint), checked before everything else */
  readonly routes = new Map<string, (req: IncomingMessage, res: ServerResponse, url: URL) => void>();
  /**
   * Whether an Authorization header may read the API: the SSWS token by default; an OAuth fake replaces it
   * to accept the access tokens it issued.
   */
  isAuthorized: (authorization: string | undefined) => boolean = (h) => h === `SSWS ${this.token}`;

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

  /** `source`: for an APP_GROUP, the app (directory) it is imported from */
  addGroup(id: string, name: string, type = 'OKTA_GROUP', source?: string): void {
    this.groups.set(id, { name, type, ...(source ? { source } : {}) });
  }

  addApp(id: string, name: string, label: string): void {
    this.apps.set(id, { name, label });
  }

  /** Identity Governance grants of an app for a user (principal-access answers 404 for others) */
  addGrant(appId: string, userId: string, grantType: string, grantMethod?: string): void {
    const key = `${appId}|${userId}`;
    this.grants.set(key, [...(this.grants.get(key) ?? []), { grantType, ...(grantMethod ? { grantMethod } : {}) }]);
  }

  addMember(userId: string, groupId: string): void {
    if (!this.members.has(userId)) this.members.set(userId, new Set());
    this.members.get(userId)!.add(groupId);
  }

  removeMember(userId: string, groupId: string): void {
    this.members.get(userId)?.delete(groupId);
  }

  /** deletes a user from the org: its memberships and app assignments go with it */
  deleteUser(userId: string): void {
    this.deleted.add(userId);
    this.members.delete(userId);
    for (const users of this.appUsers.values()) users.delete(userId);
  }

  assignApp(appId: string, userId: string, scope: 'USER' | 'GROUP' = 'USER'): void {
    if (!this.appUsers.has(appId)) this.appUsers.set(appId, new Map());
    this.appUsers.get(appId)!.set(userId, scope);
  }

  assignAppToGroup(appId: string, groupId: string): void {
    if (!this.appGroups.has(appId)) this.appGroups.set(appId, new Set());
    this.appGroups.get(appId)!.add(groupId);
  }

  addRule(id: string, name: string, groupIds: string[], status = 'ACTIVE', expression?: string): void {
    this.rules.push({ id, name, status, groupIds, ...(expression ? { expression } : {}) });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const route = this.routes.get(`${req.method} ${url.pathname}`);
    if (route) return route(req, res, url);
    if (req.method === 'GET' && url.pathname !== '/api/v1/logs' && (url.pathname.startsWith('/api/v1/') || url.pathname.startsWith('/governance/'))) return this.directory(req, res, url);
    if (req.method !== 'GET' || url.pathname !== '/api/v1/logs') return send(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
    this.requests.push({ query: url.searchParams, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const s = this.scripted.shift();
    if (s) {
      res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
      res.end(s.body ?? '{}');
      return;
    }
    if (!this.isAuthorized(req.headers.authorization)) return send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    const q = url.searchParams;
    const filter = q.get('filter') ?? '';
    const types = new Set([...filter.matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]!));
    const prefixes = [...filter.matchAll(/eventType sw "([^"]+)"/g)].map((m) => m[1]!);
    if (filter !== '' && filter.replace(/eventType (eq|sw) "[^"]+"( or )?/g, '') !== '') {
      return send(res, 400, { errorCode: 'E0000053', errorSummary: `Invalid filter '${filter}'` });
    }
    const since = Date.parse(q.get('since') ?? '');
    const limit = Math.min(1000, Number(q.get('limit') ?? 100));
    // `after` is opaque to clients; here "<index of the last event returned>.<answer number>", so it differs each time
    const after = Number((q.get('after') ?? '-1').split('.')[0]);
    const matches: Array<{ at: number; e: LogEvent }> = [];
    this.events.forEach((e, at) => {
      if (at <= after) return;
      if ((types.size > 0 || prefixes.length > 0) && !types.has(e.eventType ?? '') && !prefixes.some((p) => (e.eventType ?? '').startsWith(p))) return;
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

  private directory(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname;
    this.apiRequests.push(path);
    this.apiQueries.push(url.search);
    if (this.stall?.(url)) return;
    const s = this.scripted.shift();
    if (s) {
      res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
      res.end(s.body ?? '{}');
      return;
    }
    if (this.directoryDown !== undefined) return send(res, this.directoryDown, { errorCode: 'E0000009', errorSummary: 'Internal Server Error' });
    if (!this.isAuthorized(req.headers.authorization)) return send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    const limits: Record<string, string> = this.rateLimit
      ? { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': String(this.rateLimit.remaining), 'x-rate-limit-reset': String(this.rateLimit.reset) }
      : {};
    const group = (id: string) => {
      const g = this.groups.get(id);
      return { id, type: g?.type ?? 'OKTA_GROUP', profile: { name: g?.name ?? id }, ...(g?.source ? { source: { id: g.source } } : {}) };
    };
    const list = (items: unknown[]) => this.page(res, url, items, limits);
    let m: RegExpExecArray | null;
    const userGone = (id: string) => send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${id} (User)` }, limits);
    if ((m = /^\/api\/v1\/users\/([^/]+)\/groups$/.exec(path))) {
      if (this.deleted.has(m[1]!)) return userGone(m[1]!);
      return list([...(this.members.get(m[1]!) ?? [])].map(group));
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)$/.exec(path))) {
      if (this.deleted.has(m[1]!)) return userGone(m[1]!);
      return send(res, 200, { id: m[1], status: 'ACTIVE', profile: { login: `${m[1]}@example.com` } }, limits);
    }
    if ((m = /^\/api\/v1\/apps\/([^/]+)\/users\/([^/]+)$/.exec(path))) {
      const scope = this.appUsers.get(m[1]!)?.get(m[2]!);
      if (!scope) return send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${m[2]} (AppUser)` }, limits);
      return send(res, 200, { id: m[2], scope, status: 'PROVISIONED' }, limits);
    }
    if ((m = /^\/api\/v1\/apps\/([^/]+)\/groups$/.exec(path))) return list([...(this.appGroups.get(m[1]!) ?? [])].map((id) => ({ id, priority: 0 })));
    if ((m = /^\/api\/v1\/apps\/([^/]+)$/.exec(path))) {
      const app = this.apps.get(m[1]!);
      if (!app) return send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${m[1]} (AppInstance)` }, limits);
      return send(res, 200, { id: m[1], name: app.name, label: app.label, status: 'ACTIVE' }, limits);
    }
    if (path === '/api/v1/groups/rules') {
      return list(this.rules.map((r) => ({
        id: r.id, name: r.name, status: r.status, type: 'group_rule',
        conditions: { expression: { value: r.expression ?? 'user.title == "x"', type: 'urn:okta:expression:1.0' } },
        actions: { assignUserToGroups: { groupIds: r.groupIds } },
      })));
    }
    if (path === '/governance/api/v1/principal-access') {
      const f = url.searchParams.get('filter') ?? '';
      const app = /parent\.externalId eq "([^"]+)"/.exec(f)?.[1];
      const user = /targetPrincipal\.externalId eq "([^"]+)"/.exec(f)?.[1];
      const grants = this.grants.get(`${app}|${user}`);
      if (!grants) return send(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found' }, limits);
      const [base, ...additional] = grants;
      return send(res, 200, { targetPrincipal: { externalId: user, type: 'OKTA_USER' }, parent: { externalId: app, type: 'APPLICATION' }, base, additional }, limits);
    }
    return send(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
  }

  /** one page of a list as Okta sends it: at most `limit` (≤ 200) items, a next link with `after` while more remain */
  private page(res: ServerResponse, url: URL, items: unknown[], headers: Record<string, string>): void {
    const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 200) || 200));
    const after = url.searchParams.get('after');
    // the cursor is opaque to clients; here the index of the first item of the page, base64url-encoded
    const from = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const page = items.slice(from, from + limit);
    const links = [`<${this.url}${url.pathname}${url.search}>; rel="self"`];
    if (from + limit < items.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('after', Buffer.from(String(from + limit)).toString('base64url'));
      next.set('limit', String(limit));
      links.push(`<${this.url}${url.pathname}?${next.toString()}>; rel="next"`);
    }
    res.writeHead(200, { 'content-type': 'application/json', link: links, ...headers });
    res.end(JSON.stringify(page));
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
