import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient, type HttpClientOptions } from '../../src/http-client/http-client.ts';
import { HttpError } from '../../src/http-client/http-error.ts';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
const SECRET = 'Bearer super-secret-token-value';

/** a local server answering each request with the next scripted reply (the last one repeats) */
let server: Server;
let url = '';
let replies: Reply[] = [];
let calls = 0;
let connections = 0;
let agent: Agent;
const waits: number[] = [];

beforeEach(async () => {
  calls = 0;
  connections = 0;
  waits.length = 0;
  server = createServer((req, res) => {
    calls++;
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    req.resume();
    req.on('end', () => reply(req, res));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/things?secret=query`;
  agent = createHttpAgent({ headersTimeoutMs: 100, bodyTimeoutMs: 100, connectTimeoutMs: 300 });
});

afterEach(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(o: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({ dispatcher: agent, sleep: async (ms) => void waits.push(ms), random: () => 0, ...o });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

async function failure(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

const get = { label: 'Test list', method: 'GET' as const, headers: { authorization: SECRET } };

describe('HttpClient', () => {
  it('returns the parsed JSON of a 2xx', async () => {
    replies = [json(200, { list: [1, 2] }, { link: '<http://x/next>; rel="next"' })];
    const res = await client().json({ ...get, url });
    expect(res).toMatchObject({ status: 200, body: { list: [1, 2] }, url });
    expect(res.headers.link).toBe('<http://x/next>; rel="next"');
  });

  it('retries a 429 after the Retry-After it was given, and a 503 with backoff', async () => {
    replies = [json(429, { message: 'slow down' }, { 'retry-after': '2' }), json(503, 'Service Unavailable'), json(200, { ok: true })];
    const res = await client().json({ ...get, url });
    expect(res.body).toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(waits).toEqual([2000, 500]); // Retry-After 2 s; then backoff 1000 ms × jitter 0.5 (attempt 2)
  });

  it('honours ASA X-RateLimit-Reset and Okta X-Rate-Limit-Reset on a 429', async () => {
    const now = Date.parse('2025-08-01T12:00:00Z');
    replies = [
      json(429, {}, { 'x-ratelimit-reset': String(now / 1000 + 3) }),
      json(429, {}, { 'x-rate-limit-reset': String(now / 1000 + 5), 'x-rate-limit-remaining': '0' }),
      json(200, []),
    ];
    await client({ now: () => now }).json({ ...get, url });
    expect(waits).toEqual([3250, 5250]);
  });

  it('gives up after maxAttempts and says which call failed and why, without the token or the query', async () => {
    replies = [json(503, { errorCode: 'E0000009', errorSummary: 'Your last request took too long to complete.' })];
    const err = await failure(client({ maxAttempts: 3 }).json({ ...get, url }));
    expect(calls).toBe(3);
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.statusCode).toBe(503);
    expect(err.message).toMatch(/^Test list failed: GET http:\/\/127\.0\.0\.1:\d+\/v1\/things answered 503 Service Unavailable \(E0000009: Your last request took too long to complete\.\) \(after 3 attempts\)$/);
    expect(err.message).not.toContain('super-secret');
    expect(err.message).not.toContain('secret=query');
  });

  it('does not retry a 4xx other than 429', async () => {
    replies = [json(403, { errorCode: 'E0000006', errorSummary: 'You do not have permission' })];
    const err = await failure(client().json({ ...get, url }));
    expect(calls).toBe(1);
    expect(err.message).toContain('answered 403 Forbidden (E0000006: You do not have permission)');
  });

  it('fails at once when the server asks to wait longer than maxDelayMs', async () => {
    replies = [json(429, {}, { 'retry-after': '600' })];
    const err = await failure(client({ maxDelayMs: 60_000 }).json({ ...get, url }));
    expect(err.code).toBe('HTTP_RATE_LIMITED');
    expect(err.message).toContain('asked to wait longer than 60 s');
    expect(calls).toBe(1);
  });

  it('consumes every error body: with one connection, retries do not hang and reuse it', async () => {
    // an unread body would keep the only socket busy and the retry would wait for it until the timeout
    const single = new Agent({ connections: 1, headersTimeout: 2000, bodyTimeout: 2000 });
    replies = [json(503, 'x'.repeat(300_000)), json(500, 'y'.repeat(100)), json(200, {})];
    try {
      const res = await client({ dispatcher: single, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 100)) }).json({ ...get, url });
      expect(res.status).toBe(200);
    } finally {
      await single.close();
    }
    expect(calls).toBe(3);
    expect(connections).toBe(1);
  });

  it('retries when the connection breaks', async () => {
    replies = [(req) => req.socket.destroy(), json(200, { ok: 1 })];
    const res = await client().json({ ...get, url });
    expect(res.body).toEqual({ ok: 1 });
    expect(calls).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('refuses a body that is not JSON', async () => {
    replies = [json(200, '{"list": [1, 2')];
    const err = await failure(client().json({ ...get, url }));
    expect(err.code).toBe('HTTP_BAD_BODY');
    expect(err.message).toMatch(/answered 200 with a body that is not JSON \(14 bytes/);
    // the body is never quoted: it could be a token answer
    replies = [json(200, 'bearer_token secret-abc')];
    const quoted = await failure(client().json({ ...get, url }));
    expect(quoted.message).not.toContain('secret-abc');
  });

  it('refuses a body over the size limit, declared or streamed', async () => {
    replies = [json(200, { list: 'z'.repeat(5000) })];
    const declared = await failure(client({ maxBodyBytes: 1000 }).json({ ...get, url }));
    expect(declared.code).toBe('HTTP_BODY_TOO_LARGE');
    replies = [
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
        res.write('[' + '1,'.repeat(1000));
        res.end('1]');
      },
    ];
    const streamed = await failure(client({ maxBodyBytes: 1000 }).json({ ...get, url }));
    expect(streamed.message).toContain('with a body larger than 1000 bytes');
  });

  it('does not wait for a server that never answers (our timeouts, not undici 300 s)', async () => {
    replies = [() => undefined]; // never answers; undici's header timer ticks in ~1 s steps
    const err = await failure(client({ maxAttempts: 1 }).json({ ...get, url }));
    expect(err.code).toBe('HTTP_UNREACHABLE');
    expect(err.message).toMatch(/could not be reached \(UND_ERR_HEADERS_TIMEOUT\)$/);
  });

  it('names a host that refuses connections', async () => {
    const closed = url.replace(/:\d+\//, ':1/');
    const err = await failure(client({ maxAttempts: 2 }).json({ ...get, url: closed }));
    expect(err.message).toBe('Test list failed: GET http://127.0.0.1:1/v1/things could not be reached (ECONNREFUSED) (after 2 attempts)');
    expect(waits).toHaveLength(1);
  });

  it('sends JSON bodies', async () => {
    let seen = '';
    replies = [
      (req, res) => {
        seen = `${req.method} ${req.headers['content-type']}`;
        json(200, {})(req, res);
      },
    ];
    await client().json({ label: 'Test post', method: 'POST', url, json: { a: 1 } });
    expect(seen).toBe('POST application/json');
  });
});
