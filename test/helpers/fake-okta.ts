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
 * It also answers the Management API reads of the work queue's "Verify in Okta" (issue 4), from a small
 * directory: `GET /api/v1/users/{id}/groups`, `/api/v1/apps/{appId}/users/{userId}` (404 when not
 * assigned; `scope` USER or GROUP), `/api/v1/apps/{appId}/groups` and `/api/v1/groups/rules`.
 *
 *   okta.addGroup('00g1', 'Finance', 'OKTA_GROUP'); okta.addMember('00u1', '00g1');
 *   okta.assignApp('0oa1', '00u1', 'GROUP'); okta.assignAppToGroup('0oa1', '00g1');
 *   okta.addRule('0pr1', 'Finance by department', ['00g1']);
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
  private readonly groups = new Map<string, { name: string; type: string }>();
  private readonly members = new Map<string, Set<string>>();
  private readonly appUsers = new Map<string, Map<string, string>>();
  private readonly appGroups = new Map<string, Set<string>>();
  private readonly rules: Array<{ id: string; name: string; status: string; groupIds: string[] }> = [];
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

  addGroup(id: string, name: string, type = 'OKTA_GROUP'): void {
    this.groups.set(id, { name, type });
  }

  addMember(userId: string, groupId: string): void {
    if (!this.members.has(userId)) this.members.set(userId, new Set());
    this.members.get(userId)!.add(groupId);
  }

  removeMember(userId: string, groupId: string): void {
    this.members.get(userId)?.delete(groupId);
  }

  assignApp(appId: string, userId: string, scope: 'USER' | 'GROUP' = 'USER'): void {
    if (!this.appUsers.has(appId)) this.appUsers.set(appId, new Map());
    this.appUsers.get(appId)!.set(userId, scope);
  }

  assignAppToGroup(appId: string, groupId: string): void {
    if (!this.appGroups.has(appId)) this.appGroups.set(appId, new Set());
    this.appGroups.get(appId)!.add(groupId);
  }

  addRule(id: string, name: string, groupIds: string[], status = 'ACTIVE'): void {
    this.rules.push({ id, name, status, groupIds });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const route = this.routes.get(`${req.method} ${url.pathname}`);
    if (route) return route(req, res, url);
    if (req.method === 'GET' && url.pathname !== '/api/v1/logs' && url.pathname.startsWith('/api/v1/')) return this.directory(req, res, url.pathname);
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

  private directory(req: IncomingMessage, res: ServerResponse, path: string): void {
    this.apiRequests.push(path);
    const s = this.scripted.shift();
    if (s) {
      res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
      res.end(s.body ?? '{}');
      return;
    }
    if (!this.isAuthorized(req.headers.authorization)) return send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    const group = (id: string) => ({ id, type: this.groups.get(id)?.type ?? 'OKTA_GROUP', profile: { name: this.groups.get(id)?.name ?? id } });
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1\/users\/([^/]+)\/groups$/.exec(path))) return send(res, 200, [...(this.members.get(m[1]!) ?? [])].map(group));
    if ((m = /^\/api\/v1\/apps\/([^/]+)\/users\/([^/]+)$/.exec(path))) {
      const scope = this.appUsers.get(m[1]!)?.get(m[2]!);
      if (!scope) return send(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${m[2]} (AppUser)` });
      return send(res, 200, { id: m[2], scope, status: 'PROVISIONED' });
    }
    if ((m = /^\/api\/v1\/apps\/([^/]+)\/groups$/.exec(path))) return send(res, 200, [...(this.appGroups.get(m[1]!) ?? [])].map((id) => ({ id, priority: 0 })));
    if (path === '/api/v1/groups/rules') {
      return send(res, 200, this.rules.map((r) => ({ id: r.id, name: r.name, status: r.status, type: 'group_rule', actions: { assignUserToGroups: { groupIds: r.groupIds } } })));
    }
    return send(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
