/**
 * The OAuth service app against a fake Okta that checks every client assertion (signature, kid, claims,
 * single-use jti): tokens for each kind of key, one token shared and kept until shortly before it
 * expires, renewed once after a 401, the governance scope dropped when not granted, and each refusal
 * turned into the line an operator reads at start.
 */
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { HttpError } from '../../src/http-client/http-error.ts';
import { OAuthRefused } from '../../src/okta/oauth-refusal.ts';
import { GOVERNANCE_SCOPE, REQUIRED_SCOPES } from '../../src/okta/oauth-scopes.ts';
import { OAuthTokens } from '../../src/okta/oauth-token.ts';
import { checkOktaAtStart, oktaConnection, oktaGet, type OktaConnection } from '../../src/okta/okta-auth.ts';
import { parseOktaKey } from '../../src/okta/okta-key.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { FakeOktaOAuth, JWT_BEARER, oauthEnv, serviceAppKey, type ServiceAppKey } from '../helpers/fake-okta-oauth.ts';

const KEYS = { rsa: serviceAppKey('rsa'), ec256: serviceAppKey('ec256'), ec384: serviceAppKey('ec384') };
/** a key registered on no app */
const OTHER_RSA = serviceAppKey('rsa');
const ALL_SCOPES = [...REQUIRED_SCOPES, GOVERNANCE_SCOPE].join(' ');

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Setup {
  okta: FakeOkta;
  app: FakeOktaOAuth;
  conn: OktaConnection;
  config: Config;
  http: HttpClient;
  /** one System Log page, the way the backfill asks for it */
  readLogs(): Promise<number>;
  logs: Array<Record<string, unknown>>;
}

function capture(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) }), lines };
}

async function setup(key: ServiceAppKey = KEYS.rsa, env: Record<string, string> = {}): Promise<Setup> {
  const okta = await FakeOkta.start();
  const app = FakeOktaOAuth.mount(okta, { keys: Object.values(KEYS).map((k) => ({ kid: k.kid, publicKey: k.publicKey })) });
  const config = loadConfig({ ...oauthEnv(okta, app, key), ...env });
  const { log, lines } = capture();
  const conn = oktaConnection(config.okta!, { log, http: { maxAttempts: 1 } });
  const agent = createHttpAgent({ headersTimeoutMs: 5000 });
  const http = new HttpClient({ dispatcher: agent, maxAttempts: 1 });
  cleanup.push(() => okta.close(), () => agent.close(), async () => conn.auth.close?.());
  const readLogs = async () => (await oktaGet(http, conn, 'Okta System Log page', `${okta.url}/api/v1/logs?limit=10`)).status;
  return { okta, app, conn, config, http, readLogs, logs: lines };
}

async function refusedAtStart(s: Setup): Promise<OAuthRefused> {
  const err = await checkOktaAtStart(s.conn, pino({ level: 'silent' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthRefused);
  return err as OAuthRefused;
}

describe('Okta OAuth service app', () => {
  it.each([
    ['RSA PEM', KEYS.rsa, 'RS256', {}],
    ['EC P-256 PEM', KEYS.ec256, 'ES256', {}],
    ['EC P-384 JWK whose kid stands in for OKTA_PRIVATE_KEY_ID', KEYS.ec384, 'ES384', { OKTA_PRIVATE_KEY: JSON.stringify(KEYS.ec384.privateJwk), OKTA_PRIVATE_KEY_ID: '' }],
    ['RSA JWK', KEYS.rsa, 'RS256', { OKTA_PRIVATE_KEY: JSON.stringify(KEYS.rsa.privateJwk) }],
  ])('reads the API with a token got by a client assertion Okta verifies (%s)', async (_name, key, alg, env) => {
    const s = await setup(key, env);
    expect(await s.readLogs()).toBe(200);

    expect(s.app.requests).toHaveLength(1);
    const r = s.app.requests[0]!;
    expect(r.outcome).toBe('issued');
    expect(r.contentType).toBe('application/x-www-form-urlencoded');
    expect(r.form.get('grant_type')).toBe('client_credentials');
    expect(r.form.get('client_assertion_type')).toBe(JWT_BEARER);
    expect(r.form.get('scope')).toBe(ALL_SCOPES);
    expect(r.header).toEqual({ alg, kid: key.kid, typ: 'JWT' });
    const c = r.claims as { iss: string; sub: string; aud: string; iat: number; exp: number; jti: string };
    expect(c).toMatchObject({ iss: s.app.clientId, sub: s.app.clientId, aud: s.app.tokenUrl });
    expect(c.exp - c.iat).toBe(300);
    expect(Math.abs(c.iat - Date.now() / 1000)).toBeLessThan(5);
    expect(s.okta.requests[0]!.authorization).toBe(`Bearer ${s.app.tokens[0]}`);
  });

  it('keeps one token for every caller until shortly before it expires, then gets a new one', async () => {
    const s = await setup();
    let now = Date.now();
    s.app.now = () => now;
    const tokens = new OAuthTokens({ orgUrl: s.okta.url, clientId: s.app.clientId, key: parseOktaKey(KEYS.rsa.privatePem), keyId: KEYS.rsa.kid, http: s.http, now: () => now });
    const first = await tokens.get();
    expect((await tokens.get()).value).toBe(first.value);
    now += 3600_000 - 61_000; // still more than a minute to go
    expect((await tokens.get()).value).toBe(first.value);
    expect(s.app.requests).toHaveLength(1);
    now += 2_000; // within the last minute: renewed before Okta would turn it down
    const second = await tokens.get();
    expect(second.value).not.toBe(first.value);
    expect(s.app.requests).toHaveLength(2);
    // a short-lived token is renewed a tenth of its life early
    s.app.expiresIn = 300;
    tokens.drop(second.value);
    const short = await tokens.get();
    expect(short.renewAt - now).toBe(270_000);
  });

  it('retries a 503 from the token endpoint with a fresh assertion (a jti is single use)', async () => {
    const s = await setup();
    const route = s.okta.routes.get('POST /oauth2/v1/token')!;
    let first: string | undefined;
    s.okta.routes.set('POST /oauth2/v1/token', (req, res, url) => {
      if (first !== undefined) return route(req, res, url);
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        first = new URLSearchParams(body).get('client_assertion')!;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"errorCode":"E0000009","errorSummary":"Internal Server Error"}');
      });
    });
    const agent = createHttpAgent();
    cleanup.push(() => agent.close());
    const http = new HttpClient({ dispatcher: agent, maxAttempts: 2, sleep: async () => undefined });
    const tokens = new OAuthTokens({ orgUrl: s.okta.url, clientId: s.app.clientId, key: parseOktaKey(KEYS.rsa.privatePem), keyId: KEYS.rsa.kid, http });
    expect((await tokens.get()).value).toBe(s.app.tokens[0]);
    expect(s.app.requests.map((r) => r.outcome)).toEqual(['issued']);
    const jti = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
    expect(jti(first!)).not.toBe(s.app.requests[0]!.claims!.jti);
  });

  it('makes one token request for concurrent first calls, and again after a 401', async () => {
    const s = await setup();
    const values = await Promise.all(Array.from({ length: 10 }, () => s.conn.auth.authorization()));
    expect(new Set(values).size).toBe(1);
    expect(s.app.requests).toHaveLength(1);
    s.conn.auth.rejected(values[0]!);
    const again = await Promise.all(Array.from({ length: 10 }, () => s.conn.auth.authorization()));
    expect(new Set(again).size).toBe(1);
    expect(again[0]).not.toBe(values[0]);
    expect(s.app.requests).toHaveLength(2);
  });

  it('a token revoked early gets a 401: a new token is fetched once and the call succeeds', async () => {
    const s = await setup();
    expect(await s.readLogs()).toBe(200);
    s.app.revokeAll();
    expect(await s.readLogs()).toBe(200);
    expect(s.app.issuedCount).toBe(2);
    // the first token read a page, was turned down, and the new one read the page
    const auths = s.okta.requests.map((r) => r.authorization);
    expect(auths).toEqual([`Bearer ${s.app.tokens[0]}`, `Bearer ${s.app.tokens[0]}`, `Bearer ${s.app.tokens[1]}`]);
  });

  it('gives up after one renewal when Okta keeps answering 401', async () => {
    const s = await setup();
    s.okta.isAuthorized = () => false;
    const err = await s.readLogs().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(401);
    expect(s.app.issuedCount).toBe(2);
    expect(s.okta.requests).toHaveLength(2);
  });

  it('does not keep a failed token request: the next call asks Okta again', async () => {
    const s = await setup();
    s.app.requireDpop = true;
    await expect(s.conn.auth.authorization()).rejects.toBeInstanceOf(OAuthRefused);
    s.app.requireDpop = false;
    expect(await s.conn.auth.authorization()).toBe(`Bearer ${s.app.tokens[0]}`);
  });

  it('runs without the governance scope when it is not granted, and says so once', async () => {
    const s = await setup();
    s.app.granted.delete(GOVERNANCE_SCOPE);
    await checkOktaAtStart(s.conn, pino({ level: 'silent' }));
    expect(s.app.requests.map((r) => [r.form.get('scope'), r.outcome])).toEqual([
      [ALL_SCOPES, 'invalid_scope'],
      [REQUIRED_SCOPES.join(' '), 'issued'],
    ]);
    s.app.revokeAll();
    expect(await s.readLogs()).toBe(200);
    // the renewal asks only for what was granted
    expect(s.app.requests.map((r) => r.outcome)).toEqual(['invalid_scope', 'issued', 'issued']);
    expect(s.app.requests[2]!.form.get('scope')).toBe(REQUIRED_SCOPES.join(' '));
    const warned = s.logs.filter((l) => String(l.msg).includes(GOVERNANCE_SCOPE));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.msg).toContain('Okta API Scopes');
  });

  it.each([
    ['names it', true],
    ['does not say which (the bot asks scope by scope)', false],
  ])('stops at start when a required scope is not granted, naming it, when Okta %s', async (_name, names) => {
    const s = await setup();
    s.app.granted.delete('okta.groups.read');
    s.app.namesRefusedScopes = names;
    const err = await refusedAtStart(s);
    expect(err.kind).toBe('invalid_scope');
    expect(err.scopes).toEqual(['okta.groups.read']);
    expect(err.message).toMatch(/^Okta did not grant the scope okta\.groups\.read to the service app \(invalid_scope: .*\): grant it under Applications › Applications › your API Services app › Okta API Scopes, then restart the bot$/);
  });

  it.each<[string, (s: Setup) => void, RegExp]>([
    ['DPoP required', (s) => (s.app.requireDpop = true), /^Okta requires DPoP proofs from this service app \(invalid_dpop_proof: The DPoP proof JWT header is missing\.\), which the bot does not send: .*clear "Require Demonstrating Proof of Possession \(DPoP\) header in token requests"/],
    ['a key id Okta does not know', (s) => (s.app.keys[0]!.kid = 'another-kid'), /^Okta refused the service app's client assertion \(invalid_client: The client_assertion token has a kid which does not identify a registered signing key\.\).*OKTA_PRIVATE_KEY_ID is that key's KID/],
    ['a key the app does not have (the signature does not match)', (s) => (s.app.keys[0]!.publicKey = OTHER_RSA.publicKey), /^Okta refused the service app's client assertion \(invalid_client: The client_assertion signature is invalid\.\): check that OKTA_CLIENT_ID is the app's Client ID/],
    ['an app without client credentials', (s) => s.app.grantTypes.clear(), /^Okta does not let this app use the client credentials grant \(unauthorized_client: .*\): create an API Services app/],
  ])('stops at start with one line when Okta refuses: %s', async (_name, change, line) => {
    const s = await setup();
    change(s);
    const err = await refusedAtStart(s);
    expect(err.message).toMatch(line);
    expect(err.message).not.toMatch(/\n/);
    // Okta's words are quoted; what was sent is not
    for (const r of s.app.requests) expect(err.message).not.toContain(r.form.get('client_assertion'));
  });

  it('a wrong client id is invalid_client too', async () => {
    const s = await setup(KEYS.rsa, { OKTA_CLIENT_ID: '0oaSomeOtherApp' });
    expect((await refusedAtStart(s)).message).toMatch(/invalid_client: Invalid value for 'client_id' parameter\./);
  });

  it('names OKTA_ORG_URL when the token endpoint is not there', async () => {
    const s = await setup();
    s.okta.routes.delete('POST /oauth2/v1/token');
    expect((await refusedAtStart(s)).message).toMatch(/^Okta's token endpoint POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/v1\/token answered 404 .*: check OKTA_ORG_URL/);
  });

  it('only warns at start when Okta cannot be reached (the pollers try again)', async () => {
    const s = await setup();
    await s.okta.close();
    const { log, lines } = capture();
    await checkOktaAtStart(s.conn, log);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['could not get an Okta access token at start; the System Log backfill and Verify will try again']);
    expect(String(lines[0]!.error)).toContain('ECONNREFUSED');
  });
});
