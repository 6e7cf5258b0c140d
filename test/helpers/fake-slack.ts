/**
 * A fake Slack Web API on 127.0.0.1 (port 0) for tests and the burst benchmark: the real @slack/web-api
 * client (inside Bolt and the delivery queue) talks to it over HTTP, nothing of ours is mocked.
 *
 * It answers auth.test, chat.postMessage (returns a ts, keeps the message), chat.update (edits a kept
 * message, message_not_found otherwise), views.publish (a Home tab: `homeViews` keeps each user's latest;
 * more than 100 blocks is refused as Slack does) and apps.connections.open (refused: no WebSocket here), and records
 * every call with its parsed body (form fields; `blocks` JSON-decoded). It can be told to
 *   - answer 429 + Retry-After (the next calls, every Nth write, or whenever a channel is written to faster
 *     than a pace), and it counts calls made to a channel before its Retry-After ran out (`violations`);
 *   - be down: connection refused (`down('refuse')`) or HTTP 500 / 503 (`down('500')`, `down('503')`);
 *   - refuse a channel (`failChannel(id, 'channel_not_found')`), the token (`failToken('invalid_auth')`) or
 *     the next writes (`refuseNext('invalid_blocks')`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SlackCall {
  method: string;
  /** form fields, with blocks/attachments JSON-decoded */
  body: Record<string, unknown>;
  /** arrival time, ms */
  at: number;
  /** HTTP status answered */
  status: number;
  /** the `error` of an ok:false answer */
  error?: string;
  /** the channel of a chat.* call */
  channel?: string;
  /** true when it came for a channel still inside a Retry-After window */
  violation?: boolean;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown;
  edits: number;
}

const WRITES = new Set(['chat.postMessage', 'chat.update']);
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'files', 'view'];

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = v;
    if (JSON_FIELDS.includes(k)) {
      try {
        out[k] = JSON.parse(v) as unknown;
      } catch {
        /* keep the string: the test will see what was sent */
      }
    }
  }
  return out;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** users.info answers: Slack user id → profile */
  readonly users = new Map<string, { name: string; email?: string }>();
  /** file bodies received at the upload URLs of files.getUploadURLExternal, by file id */
  readonly uploads = new Map<string, { filename: string; length: number; content?: string }>();
  /** bodies POSTed to response URLs (`responseUrl()`), oldest first */
  readonly responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  /** the Home tab views.publish put up last, per Slack user id */
  readonly homeViews = new Map<string, { type?: string; blocks?: unknown[] }>();
  /** calls made to a channel while its Retry-After had not run out */
  violations = 0;
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private seq = 0;
  private mode: 'up' | 'refuse' | '500' | '503' = 'up';
  private limitNext: Array<{ method?: string; retryAfter: number }> = [];
  private every: { n: number; retryAfter: number } | undefined;
  private pace: { ms: number; retryAfter: number } | undefined;
  private writes = 0;
  private readonly lastWrite = new Map<string, number>();
  private readonly retryUntil = new Map<string, number>();
  private readonly channelErrors = new Map<string, string>();
  private tokenError: string | undefined;
  private refusals: string[] = [];

  private constructor() {
    this.server = this.makeServer();
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await fake.listen(0);
    return fake;
  }

  /** the SLACK_API_URL to configure */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** a response_url for a slash command or button payload; what is POSTed there lands in `responses` */
  responseUrl(name = 'r1'): string {
    return `http://127.0.0.1:${this.port}/response/${name}`;
  }

  /** a user that users.info knows (Slack gives the email with the users:read.email scope) */
  addUser(id: string, name: string, email?: string): void {
    this.users.set(id, { name, ...(email ? { email } : {}) });
  }

  // ---- behaviour ------------------------------------------------------------------------------------

  /** the next `n` calls (of `method`, or any write) answer 429 with Retry-After `retryAfter` seconds */
  rateLimitNext(n = 1, retryAfter = 1, method?: string): void {
    for (let i = 0; i < n; i++) this.limitNext.push({ retryAfter, ...(method ? { method } : {}) });
  }

  /** every `n`th write call answers 429 */
  rateLimitEvery(n: number, retryAfter = 1): void {
    this.every = { n, retryAfter };
  }

  /** a write to a channel sooner than `ms` after the previous accepted one answers 429 (Slack's own pace) */
  enforcePace(ms: number, retryAfter = 1): void {
    this.pace = { ms, retryAfter };
  }

  failChannel(channel: string, code: string): void {
    this.channelErrors.set(channel, code);
  }

  clearChannel(channel: string): void {
    this.channelErrors.delete(channel);
  }

  /** the next `n` write calls answer ok:false with `code` (e.g. invalid_blocks) */
  refuseNext(code: string, n = 1): void {
    for (let i = 0; i < n; i++) this.refusals.push(code);
  }

  failToken(code: string | undefined): void {
    this.tokenError = code;
  }

  /** 'refuse': the port stops listening (connection refused); '500' / '503': every call answers that status */
  async down(mode: 'refuse' | '500' | '503'): Promise<void> {
    this.mode = mode;
    if (mode === 'refuse') await this.closeServer();
  }

  async up(): Promise<void> {
    if (this.mode === 'refuse') {
      this.server = this.makeServer();
      await this.listen(this.port);
    }
    this.mode = 'up';
  }

  async close(): Promise<void> {
    if (this.mode !== 'refuse') await this.closeServer();
  }

  // ---- queries --------------------------------------------------------------------------------------

  /** accepted chat.postMessage calls, optionally of one channel */
  posts(channel?: string): SlackCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && !c.error && (!channel || c.channel === channel));
  }

  updates(channel?: string): SlackCall[] {
    return this.calls.filter((c) => c.method === 'chat.update' && c.status === 200 && !c.error && (!channel || c.channel === channel));
  }

  /** accepted views.publish calls, optionally for one user */
  publishes(user?: string): SlackCall[] {
    return this.calls.filter((c) => c.method === 'views.publish' && c.status === 200 && !c.error && (!user || c.body.user_id === user));
  }

  /** every write call that reached the fake (accepted or not) */
  writeCalls(channel?: string): SlackCall[] {
    return this.calls.filter((c) => WRITES.has(c.method) && (!channel || c.channel === channel));
  }

  // ---- server ---------------------------------------------------------------------------------------

  private makeServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private closeServer(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '').split('?')[0]!;
    if (path.startsWith('/upload/') || path.startsWith('/response/')) return this.handleUrl(path, Buffer.concat(chunks), req.headers['content-type'], res);
    const method = path.replace(/^\/api\/+/, '');
    let body: Record<string, unknown>;
    try {
      body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
    } catch {
      body = {};
    }
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    const call: SlackCall = { method, body, at, status: 200, ...(channel ? { channel } : {}) };
    this.calls.push(call);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (this.mode === '500' || this.mode === '503') return send(Number(this.mode), { ok: false, error: 'fake_down' });
    if (WRITES.has(method) && channel) {
      const until = this.retryUntil.get(channel);
      if (until !== undefined && at < until) {
        call.violation = true;
        this.violations += 1;
      }
    }
    const limited = this.rateLimitFor(method, channel, at);
    if (limited !== undefined) {
      if (channel) this.retryUntil.set(channel, at + limited * 1000);
      call.error = 'ratelimited';
      return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited) });
    }
    const refusal = WRITES.has(method) ? this.refusals.shift() : undefined;
    const answer = refusal ? { ok: false, error: refusal } : this.answer(method, body, channel);
    if (answer.ok === false) call.error = String(answer.error);
    else if (WRITES.has(method) && channel) this.lastWrite.set(channel, at);
    send(200, answer);
  }

  /** the upload URL of files.getUploadURLExternal, and response_url posts */
  private handleUrl(path: string, raw: Buffer, type: string | undefined, res: ServerResponse): void {
    if (path.startsWith('/upload/')) {
      const upload = this.uploads.get(path.slice('/upload/'.length));
      if (!upload) {
        res.writeHead(404).end('no such upload');
        return;
      }
      // Slack accepts the bytes raw or as multipart form data; the tests read them as text
      upload.content = raw.toString('utf8');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = parseBody(raw.toString('utf8'), type);
    } catch {
      body = { raw: raw.toString('utf8') };
    }
    this.responses.push({ path, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  /** Retry-After seconds if this call is rate limited */
  private rateLimitFor(method: string, channel: string | undefined, at: number): number | undefined {
    const i = this.limitNext.findIndex((l) => (l.method ? l.method === method : WRITES.has(method)));
    if (i >= 0) return this.limitNext.splice(i, 1)[0]!.retryAfter;
    if (!WRITES.has(method)) return undefined;
    this.writes += 1;
    if (this.every && this.writes % this.every.n === 0) return this.every.retryAfter;
    const last = channel ? this.lastWrite.get(channel) : undefined;
    if (this.pace && last !== undefined && at - last < this.pace.ms) return this.pace.retryAfter;
    return undefined;
  }

  private answer(method: string, body: Record<string, unknown>, channel: string | undefined): Record<string, unknown> {
    if (this.tokenError && method !== 'apps.connections.open') return { ok: false, error: this.tokenError };
    const channelError = channel ? this.channelErrors.get(channel) : undefined;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake Team', user: 'oig', team_id: 'T0FAKE', user_id: 'U0BOT', bot_id: 'B0BOT' };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channelError) return { ok: false, error: channelError };
        const id = channel.startsWith('#') ? `C${channel.slice(1).toUpperCase()}` : channel;
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        if (threadTs && !this.messages.has(threadTs)) return { ok: false, error: 'thread_not_found' };
        this.seq += 1;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
        this.messages.set(ts, { channel: id, ts, ...(threadTs ? { threadTs } : {}), text: String(body.text ?? ''), blocks: body.blocks, edits: 0 });
        return { ok: true, channel: id, ts, message: { text: body.text, ts } };
      }
      case 'chat.update': {
        if (channelError) return { ok: false, error: channelError };
        const ts = String(body.ts ?? '');
        const message = this.messages.get(ts);
        if (!message || message.channel !== channel) return { ok: false, error: 'message_not_found' };
        message.text = String(body.text ?? '');
        message.blocks = body.blocks;
        message.edits += 1;
        return { ok: true, channel, ts, text: body.text };
      }
      case 'views.publish': {
        const view = body.view as { type?: string; blocks?: unknown[] } | undefined;
        if (typeof body.user_id !== 'string' || view?.type !== 'home' || !Array.isArray(view.blocks)) return { ok: false, error: 'invalid_arguments' };
        if (view.blocks.length > 100) return { ok: false, error: 'invalid_arguments' };
        this.homeViews.set(body.user_id, view);
        return { ok: true, view: { id: `V${body.user_id}`, type: 'home', blocks: view.blocks } };
      }
      case 'apps.connections.open':
        return { ok: false, error: 'invalid_auth' };
      case 'chat.postEphemeral':
        if (!channel) return { ok: false, error: 'channel_not_found' };
        this.seq += 1;
        return { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}` };
      case 'users.info': {
        const user = this.users.get(String(body.user ?? ''));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: body.user, name: user.name, real_name: user.name, profile: { real_name: user.name, ...(user.email ? { email: user.email } : {}) } } };
      }
      case 'files.getUploadURLExternal': {
        this.seq += 1;
        const id = `F${String(this.seq).padStart(8, '0')}`;
        this.uploads.set(id, { filename: String(body.filename ?? ''), length: Number(body.length ?? 0) });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as Array<{ id: string }> | undefined;
        if (!files?.every((f) => this.uploads.get(f.id)?.content !== undefined)) return { ok: false, error: 'file_not_found' };
        return { ok: true, files: files.map((f) => ({ id: f.id, title: this.uploads.get(f.id)!.filename })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
