/**
 * A fake Bot Framework Connector service (REST API v3) on 127.0.0.1 (port 0): the real botbuilder
 * `CloudAdapter`, with auth disabled, answers and posts proactively to the activity's `serviceUrl`; give
 * the activities `fake.url` and everything it sends lands here. Nothing of ours is mocked.
 *
 * botbuilder builds each URL with @azure/core-client's `appendPath`: it adds a `/` to the serviceUrl's
 * path when missing and then `v3/conversations/{conversationId}/…` with every path parameter passed
 * through `encodeURIComponent` (so `19:x@thread.tacv2;messageid=1` arrives as `19%3Ax%40…%3Bmessageid%3D1`).
 * A serviceUrl with or without a trailing slash, or with a path (`/amer/`, like Teams' own), all work.
 *
 * Answered (Connector v3):
 *   POST /v3/conversations                                   createConversation → {id, activityId?}
 *   POST /v3/conversations/{conv}/activities                 sendToConversation → 201 {id}
 *   POST /v3/conversations/{conv}/activities/{id}            replyToActivity    → 201 {id}
 *   PUT  /v3/conversations/{conv}/activities/{id}            updateActivity     → 200 {id}
 *   GET  /v3/conversations/{conv}/members[/{userId}]         getConversationMember(s) (TeamsInfo.getMember)
 *   GET  /v3/conversations/{conv}/pagedmembers               TeamsInfo.getMembers inside a team
 * Anything else answers 404 and is recorded. Activity ids are numeric strings, like Teams' own.
 *
 *   const teams = await FakeTeams.start();
 *   teams.addMember({ id: '29:1abc', name: 'Alice', aadObjectId: 'aad-1', userPrincipalName: 'alice@x' });
 *   teams.failNext(1, { status: 429, retryAfter: 1 });       // the next activity call
 *   teams.failConversation(channel, { status: 403, code: 'BotNotInConversationRoster' });
 *   const card = await teams.waitFor((s) => s.conversationId === channel);
 *
 * Note the client retries by itself (core-rest-pipeline's default policy, 3 retries): a 429 or 503 with
 * Retry-After after that delay, a 5xx (not 501/505) or 408 after ~1 s growing exponentially; a 4xx other
 * than 408/429 (or a 429 without Retry-After) throws at once.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** a TeamsChannelAccount as `GET …/members/{id}` answers it */
export interface TeamsMember {
  /** `29:…` */
  id: string;
  name: string;
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
  /** Teams sends the AAD object id here too; defaults to `aadObjectId` */
  objectId?: string;
  tenantId?: string;
  givenName?: string;
  surname?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
}

export interface ConnectorRequest {
  method: string;
  /** the path after the serviceUrl's own path, e.g. `/v3/conversations/…` (still encoded) */
  path: string;
  /** decoded */
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  /** parsed JSON, or the raw text when it is not JSON, or undefined when empty */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** arrival time, ms */
  at: number;
  /** HTTP status answered */
  status: number;
  /** true when it came for a conversation still inside a Retry-After window */
  violation?: boolean;
}

/** an activity the bot sent (or replaced), accepted by the fake */
export type OutgoingActivity = Record<string, unknown> & {
  type?: string;
  text?: string;
  id?: string;
  replyToId?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }>;
};

export interface SentActivity {
  kind: 'send' | 'reply' | 'update';
  /** decoded; may carry `;messageid=N` (a channel thread) */
  conversationId: string;
  /** the id the fake gave it (send/reply), or the id replaced (update) */
  activityId: string;
  /** for a reply, the activity it answers (the path's id) */
  replyToId?: string;
  activity: OutgoingActivity;
  at: number;
}

export interface Failure {
  status: number;
  /** seconds, sent as `Retry-After` */
  retryAfter?: number;
  /** the error code of the body, e.g. BotNotInConversationRoster; a default per status otherwise */
  code?: string;
  message?: string;
  /** which calls it hits: the activity calls (send/reply/update, the default) or any call */
  scope?: 'activities' | 'any';
  /** only calls with this method: 'PUT' (edits) or 'POST' (new messages) */
  method?: 'POST' | 'PUT';
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadArgument', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 412: 'PreconditionFailed',
  429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable',
};

/** the conversation id Teams uses for a thread under a channel post: `19:…@thread.tacv2;messageid=N` */
export function threadConversationId(channelId: string, parentId: string): string {
  return `${baseConversation(channelId)};messageid=${parentId}`;
}

/** a conversation id without its `;messageid=N` thread suffix */
export function baseConversation(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

/** the Adaptive Card contents of an activity's attachments */
export function adaptiveCardsOf(activity: OutgoingActivity): unknown[] {
  return (activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is kept as it came, and the call recorded
  }
}

export class FakeTeams {
  readonly requests: ConnectorRequest[] = [];
  /** the latest version of every activity sent, by id */
  readonly messages = new Map<string, { conversationId: string; activity: OutgoingActivity; edits: number }>();
  /** requests made to a conversation before its Retry-After had run out */
  violations = 0;
  url = '';
  private readonly server: Server;
  private readonly entries: SentActivity[] = [];
  private readonly events = new EventEmitter();
  private readonly members: Array<{ member: TeamsMember; conversationId?: string }> = [];
  private readonly failures: Failure[] = [];
  private readonly conversationFailures = new Map<string, Failure>();
  private readonly retryUntil = new Map<string, number>();
  private seq = 1_700_000_000_000;
  private activityCalls = 0;
  private limitEvery?: { n: number; retryAfter: number };

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeTeams> {
    const fake = new FakeTeams();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- setup ----------------------------------------------------------------------------------------

  /** a member `GET …/members/{id}` knows (by `id` or `aadObjectId`), in one conversation or in all */
  addMember(member: TeamsMember, conversationId?: string): void {
    this.members.push({ member, ...(conversationId ? { conversationId: baseConversation(conversationId) } : {}) });
  }

  /** the next `n` activity calls (or any calls, with `scope: 'any'`) answer `failure` */
  failNext(n: number, failure: Failure): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** every activity call to this conversation (and its threads) answers `failure` until cleared */
  failConversation(conversationId: string, failure: Failure): void {
    this.conversationFailures.set(baseConversation(conversationId), failure);
  }

  /** every `n`th activity call answers 429 with Retry-After `retryAfter` seconds (Teams' throttling) */
  rateLimitEvery(n: number, retryAfter: number): void {
    this.limitEvery = { n, retryAfter };
  }

  clearConversation(conversationId: string): void {
    this.conversationFailures.delete(baseConversation(conversationId));
  }

  // ---- queries --------------------------------------------------------------------------------------

  /** the accepted send/reply/update calls, oldest first */
  sent(): SentActivity[] {
    return [...this.entries];
  }

  /**
   * The Adaptive Cards sent or replaced in a conversation, in order. Exact match of the conversation id
   * by default; `{ threads: true }` also counts its threads (`<id>;messageid=N`).
   */
  cardsIn(conversationId: string, options: { threads?: boolean } = {}): unknown[] {
    const base = baseConversation(conversationId);
    const match = (c: string) => c === conversationId || (options.threads === true && baseConversation(c) === base);
    return this.entries.filter((e) => match(e.conversationId)).flatMap((e) => adaptiveCardsOf(e.activity));
  }

  /** the thread conversation id under a message the fake gave `parentId` to (or under `channelId`) */
  threadOf(parentId: string, channelId?: string): string {
    const conversation = channelId ?? this.messages.get(parentId)?.conversationId;
    if (conversation === undefined) throw new Error(`threadOf: no activity ${parentId} was sent; pass its channel id`);
    return threadConversationId(conversation, parentId);
  }

  /** the first accepted activity call (past or future) that matches, or a rejection listing what was sent */
  waitFor(predicate: (s: SentActivity) => boolean, timeoutMs = 5000): Promise<SentActivity> {
    const found = this.entries.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onSent = (s: SentActivity) => {
        if (!predicate(s)) return;
        clearTimeout(timer);
        this.events.off('sent', onSent);
        resolve(s);
      };
      const timer = setTimeout(() => {
        this.events.off('sent', onSent);
        reject(new Error(`FakeTeams.waitFor: nothing matched in ${timeoutMs} ms. Sent:\n${this.describe()}`));
      }, timeoutMs);
      this.events.on('sent', onSent);
    });
  }

  /** one line per accepted activity call, for failure messages */
  describe(): string {
    if (this.entries.length === 0) return '  (nothing)';
    return this.entries
      .map((e) => {
        const cards = adaptiveCardsOf(e.activity).length;
        const text = typeof e.activity.text === 'string' ? ` text=${JSON.stringify(e.activity.text.slice(0, 80))}` : '';
        return `  ${e.kind} ${e.conversationId} #${e.activityId} ${e.activity.type ?? '?'}${text}${cards ? ` cards=${cards}` : ''}`;
      })
      .join('\n');
  }

  // ---- server ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      body = raw;
    }
    const full = (req.url ?? '').split('?')[0]!;
    // whatever path the serviceUrl had (Teams' look like /amer/), the API starts at /v3/
    const v3 = full.indexOf('/v3/');
    const path = v3 >= 0 ? full.slice(v3) : full;
    const seg = path.split('/').slice(1).map(safeDecode);
    const conversationId = seg[0] === 'v3' && seg[1] === 'conversations' ? seg[2] : undefined;
    const request: ConnectorRequest = { method: req.method ?? 'GET', path, body, headers: req.headers, at, status: 200, ...(conversationId ? { conversationId } : {}) };
    if (seg[3] === 'activities' && seg[4] !== undefined) request.activityId = seg[4];
    if (seg[3] === 'members' && seg[4] !== undefined) request.memberId = seg[4];
    this.requests.push(request);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      request.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };

    const isActivityCall = conversationId !== undefined && seg[3] === 'activities' && seg.length <= 5 && seg[4] !== 'history' && (request.method === 'POST' || request.method === 'PUT');
    if (conversationId !== undefined) {
      const until = this.retryUntil.get(baseConversation(conversationId));
      if (until !== undefined && at < until) {
        request.violation = true;
        this.violations += 1;
      }
    }
    const failure = this.failureFor(isActivityCall, conversationId, request.method);
    if (failure) {
      const code = failure.code ?? DEFAULT_CODES[failure.status] ?? 'Error';
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) {
        headers['retry-after'] = String(failure.retryAfter);
        if (conversationId !== undefined) this.retryUntil.set(baseConversation(conversationId), at + failure.retryAfter * 1000);
      }
      return send(failure.status, { error: { code, message: failure.message ?? `Fake connector: ${code}` } }, headers);
    }

    if (isActivityCall) return this.activityCall(request, conversationId!, seg[4], body, send);
    if (request.method === 'POST' && path.replace(/\/$/, '') === '/v3/conversations') return this.createConversation(request, body, send);
    if (request.method === 'GET' && conversationId !== undefined && seg[3] === 'members' && seg.length <= 5) {
      const members = this.membersOf(conversationId);
      if (seg[4] === undefined) return send(200, members);
      const member = members.find((m) => m.id === seg[4] || m.aadObjectId === seg[4]);
      if (member) return send(200, member);
      return send(404, { error: { code: 'MemberNotFoundInConversation', message: `The member ${seg[4]} is not in conversation ${conversationId}` } });
    }
    if (request.method === 'GET' && conversationId !== undefined && seg[3] === 'pagedmembers' && seg.length === 4) {
      return send(200, { members: this.membersOf(conversationId) });
    }
    send(404, { error: { code: 'NotFound', message: `Fake connector: no route for ${request.method} ${path}` } });
  }

  private activityCall(request: ConnectorRequest, conversationId: string, pathId: string | undefined, body: unknown, send: (s: number, p: unknown) => void): void {
    const activity = (body && typeof body === 'object' ? body : {}) as OutgoingActivity;
    const kind: SentActivity['kind'] = request.method === 'PUT' ? 'update' : pathId === undefined ? 'send' : 'reply';
    if (kind === 'update' && pathId === undefined) return send(400, { error: { code: 'BadArgument', message: 'updateActivity needs an activity id' } });
    const activityId = kind === 'update' ? pathId! : String(++this.seq);
    const entry: SentActivity = { kind, conversationId, activityId, activity, at: request.at, ...(kind === 'reply' ? { replyToId: pathId! } : {}) };
    const kept = this.messages.get(activityId);
    // an update of an id the fake never gave is accepted (the card may come from a builder), and kept
    this.messages.set(activityId, { conversationId: kept?.conversationId ?? conversationId, activity, edits: kind === 'update' ? (kept?.edits ?? 0) + 1 : 0 });
    this.entries.push(entry);
    send(kind === 'update' ? 200 : 201, { id: activityId });
    this.events.emit('sent', entry);
  }

  /** a new conversation (proactive 1:1); its first activity, when given, is recorded as a send */
  private createConversation(request: ConnectorRequest, body: unknown, send: (s: number, p: unknown) => void): void {
    const params = (body && typeof body === 'object' ? body : {}) as { members?: Array<{ id?: string }>; activity?: OutgoingActivity };
    const conversationId = `a:fake-${params.members?.[0]?.id ?? 'conversation'}`;
    request.conversationId = conversationId;
    if (!params.activity) return send(201, { id: conversationId });
    const activityId = String(++this.seq);
    const entry: SentActivity = { kind: 'send', conversationId, activityId, activity: params.activity, at: request.at };
    this.messages.set(activityId, { conversationId, activity: params.activity, edits: 0 });
    this.entries.push(entry);
    send(201, { id: conversationId, activityId });
    this.events.emit('sent', entry);
  }

  private failureFor(isActivityCall: boolean, conversationId: string | undefined, method: string): Failure | undefined {
    if (isActivityCall && conversationId !== undefined) {
      const standing = this.conversationFailures.get(baseConversation(conversationId));
      if (standing) return standing;
    }
    const i = this.failures.findIndex((f) => (isActivityCall || f.scope === 'any') && (f.method === undefined || f.method === method));
    if (i >= 0) return this.failures.splice(i, 1)[0];
    if (isActivityCall && this.limitEvery && ++this.activityCalls % this.limitEvery.n === 0) return { status: 429, retryAfter: this.limitEvery.retryAfter };
    return undefined;
  }

  private membersOf(conversationId: string): TeamsMember[] {
    const base = baseConversation(conversationId);
    return this.members
      .filter((m) => m.conversationId === undefined || m.conversationId === base)
      .map(({ member }) => ({ ...member, ...(member.aadObjectId && !member.objectId ? { objectId: member.aadObjectId } : {}) }));
  }
}
