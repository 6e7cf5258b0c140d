/**
 * A scriptable fake of the ASA API on 127.0.0.1 (port 0), shaped like Okta's documented bodies
 * (test/fixtures/asa): `POST /v1/teams/{team}/service_token` and `GET /v1/teams/{team}/auditsV2`, oldest
 * events first, the next page as a `Link: <…>; rel="next"` header whose `offset` is the id of the page's
 * last event, no next link on a page that is not full (SPEC §6). Used by the tests and the catch-up bench.
 *
 *   const asa = await FakeAsa.start();
 *   asa.addEvents(12);                               // realistic events with related objects
 *   asa.script('audits', { status: 429, headers: { 'retry-after': '2' } });   // the next call only
 *   asa.script('audits', 'normal', { status: 502 });  // the call after next
 *   asa.revokeTokens();                              // the next audits call answers 401
 *   const release = asa.hold();                      // audits calls wait until release()
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAsaEvent {
  id: string;
  timestamp: string;
  details: Record<string, unknown>;
}
export interface RelatedObject {
  type: string;
  object: Record<string, unknown>;
}
export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  /** raw body; JSON of `{}` when omitted */
  body?: string;
}
type Route = 'token' | 'audits';

export interface FakeAsaOptions {
  team?: string;
  keyId?: string;
  keySecret?: string;
  /** lifetime of issued tokens (expires_at), default 1 hour */
  tokenTtlMs?: number;
  /** also send a next link on pages that are not full */
  nextOnEveryPage?: boolean;
  /**
   * when the first event happened, ms since epoch; default two days ago (history: the bot summarises events
   * that old instead of posting them, src/intake/history.ts). Tests of fresh events start a minute ago.
   */
  startAt?: number;
}

export const FAKE_KEY_ID = '6052868b-1b04-4a14-8288-e6496d7f2f4b';
export const FAKE_KEY_SECRET = 'fake-asa-key-secret-for-tests-only';
const DEFAULT_TYPES = ['server.ssh_login', 'user_creds.issue', 'auth_token.issue', 'client.enroll'];

export class FakeAsa {
  readonly team: string;
  readonly keyId: string;
  readonly keySecret: string;
  url = '';
  readonly events: FakeAsaEvent[] = [];
  readonly related: Record<string, RelatedObject> = {};
  readonly calls = { token: 0, audits: 0 };
  readonly auditQueries: URLSearchParams[] = [];
  inFlight = 0;
  maxInFlight = 0;
  tokenTtlMs: number;
  nextOnEveryPage: boolean;
  /** when set, every token is refused (a revoked service user) */
  rejectAllTokens = false;
  private readonly tokens = new Set<string>();
  private readonly positions = new Map<string, number>();
  private readonly scripted: Record<Route, Array<Scripted | 'normal'>> = { token: [], audits: [] };
  private gate: Promise<void> | undefined;
  private readonly server: Server;
  private seq = 0;
  /** events are a second apart, from two days ago (ASA keeps 90 days; the store's retention drops older ones) */
  private readonly start: number;

  private constructor(o: FakeAsaOptions) {
    this.team = o.team ?? 'william-faulkner';
    this.keyId = o.keyId ?? FAKE_KEY_ID;
    this.keySecret = o.keySecret ?? FAKE_KEY_SECRET;
    this.tokenTtlMs = o.tokenTtlMs ?? 3_600_000;
    this.nextOnEveryPage = o.nextOnEveryPage ?? false;
    this.start = o.startAt ?? Math.floor(Date.now() / 1000) * 1000 - 2 * 86_400_000;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(o: FakeAsaOptions = {}): Promise<FakeAsa> {
    const fake = new FakeAsa(o);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** the environment of a bot or the CLI pointed at this fake */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { ASA_TEAM: this.team, ASA_KEY_ID: this.keyId, ASA_KEY_SECRET: this.keySecret, ASA_BASE_URL: this.url, ...extra };
  }

  async close(): Promise<void> {
    this.gate = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** the next calls of `route` get these answers, in order ('normal': answered as usual) */
  script(route: Route, ...responses: Array<Scripted | 'normal'>): void {
    this.scripted[route].push(...responses);
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  /** audits calls wait until the returned function is called */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  /** a related object under a key shaped like ASA's (base64 SHA-256), returned for use in details */
  object(type: string, object: Record<string, unknown>): string {
    const key = createHash('sha256').update(`${type}:${String(object.id ?? object.name ?? object.hostname)}`).digest('base64');
    this.related[key] = { type, object };
    return key;
  }

  user(name: string, status = 'ACTIVE'): string {
    const [first = name, last = ''] = name.split('.');
    return this.object('user', {
      deleted_at: null,
      details: { email: `${name.toLowerCase()}@example.com`, first_name: first, full_name: `${first} ${last}`.trim(), last_name: last },
      id: uuidFor(`user:${name}`),
      name,
      oauth_client_application_id: null,
      role_grants: null,
      status,
      user_type: 'human',
    });
  }

  serverObject(hostname: string, project: string): string {
    return this.object('server', { hostname, id: uuidFor(`server:${hostname}`), os: 'Ubuntu 22.04', os_type: 'linux', project_name: project, state: 'ACTIVE', team_name: this.team });
  }

  client(hostname: string, user: string): string {
    return this.object('client', { deleted_at: null, description: 'Work laptop', encrypted: true, hostname, id: uuidFor(`client:${hostname}`), os: 'macOS 14', state: 'ACTIVE', user_name: user });
  }

  /** appends one event; `details` values may be keys returned by user()/serverObject()/… */
  addEvent(details: Record<string, unknown>, id = this.nextId()): FakeAsaEvent {
    const at = new Date(this.start + this.events.length * 1000).toISOString().replace('Z', '119888Z');
    const event = { id, timestamp: at, details: { team_name: this.team, trace_id: randomBytes(6).toString('base64url'), ...details } };
    this.positions.set(id, this.events.length);
    this.events.push(event);
    return event;
  }

  /** appends `n` realistic events over a few users, servers and types */
  addEvents(n: number, types: readonly string[] = DEFAULT_TYPES): FakeAsaEvent[] {
    const users = [this.user('alice'), this.user('bob'), this.user('carol', 'DISABLED')];
    const servers = [this.serverObject('web-01', 'prod'), this.serverObject('web-02', 'prod'), this.serverObject('db-01', 'data')];
    const clients = [this.client('alice-laptop', 'alice'), this.client('bob-laptop', 'bob')];
    const added: FakeAsaEvent[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.events.length;
      const type = types[k % types.length]!;
      added.push(
        this.addEvent({
          actor: users[k % users.length],
          client: clients[k % clients.length],
          session_type: 'authenticated_client',
          target_server: type === 'auth_token.issue' ? '' : servers[k % servers.length],
          type,
          via: null,
        }),
      );
    }
    return added;
  }

  private nextId(): string {
    const b = Buffer.alloc(16);
    randomBytes(12).copy(b);
    b.writeUInt32BE(++this.seq, 12);
    return b.toString('base64');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const base = `/v1/teams/${encodeURIComponent(this.team)}/`;
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === `${base}service_token`) {
      this.calls.token++;
      return this.scriptedOr('token', res, () => this.token(body, res));
    }
    if (req.method === 'GET' && url.pathname === `${base}auditsV2`) {
      this.calls.audits++;
      this.auditQueries.push(url.searchParams);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        if (this.gate) await this.gate;
        return this.scriptedOr('audits', res, () => this.audits(req, url, res));
      } finally {
        this.inFlight--;
      }
    }
    send(res, 404, { message: `no such route: ${req.method} ${url.pathname}` });
  }

  private scriptedOr(route: Route, res: ServerResponse, normal: () => void): void {
    const s = this.scripted[route].shift();
    if (!s || s === 'normal') return normal();
    res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
    res.end(s.body ?? '{}');
  }

  private token(body: string, res: ServerResponse): void {
    let key: { key_id?: unknown; key_secret?: unknown } = {};
    try {
      key = JSON.parse(body) as typeof key;
    } catch {
      return send(res, 400, { message: 'body is not JSON' });
    }
    if (key.key_id !== this.keyId || key.key_secret !== this.keySecret) return send(res, 401, { message: 'invalid key' });
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    send(res, 200, { bearer_token: token, expires_at: new Date(Date.now() + this.tokenTtlMs).toISOString(), team_name: this.team });
  }

  private audits(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || this.rejectAllTokens || !this.tokens.has(token)) return send(res, 401, { message: 'unauthorized' });
    const count = Math.min(1000, Number(url.searchParams.get('count') ?? 100) || 100);
    const offset = url.searchParams.get('offset');
    let from = 0;
    if (offset !== null) {
      const at = this.positions.get(offset);
      if (at === undefined) return send(res, 400, { message: 'unknown offset' });
      from = at + 1;
    }
    const list = this.events.slice(from, from + count);
    const related: Record<string, RelatedObject> = {};
    for (const e of list) {
      for (const v of Object.values(e.details)) {
        for (const key of Array.isArray(v) ? v : [v]) if (typeof key === 'string' && this.related[key]) related[key] = this.related[key];
      }
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const self = `<${this.url}${url.pathname}${url.search}>; rel="self"`;
    const last = list.at(-1);
    if (last && (list.length === count || this.nextOnEveryPage)) {
      const next = new URLSearchParams({ count: String(count), offset: last.id });
      headers.link = `${self}, <${this.url}${url.pathname}?${next.toString()}>; rel="next"`;
    } else {
      headers.link = self;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ list, related_objects: related }));
  }
}

function uuidFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
