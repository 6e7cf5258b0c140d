/**
 * Okta's org authorization server on a FakeOkta: `POST /oauth2/v1/token` with client credentials and
 * `private_key_jwt`, answering as Okta does (`{token_type:"Bearer", expires_in, access_token, scope}` or
 * RFC 6749 `{error, error_description}`), and the API accepting only `Bearer <a token it issued>` that has
 * not expired or been revoked. The client assertion is really checked: the signature with the registered
 * public key (by `kid`), `iss` = `sub` = the client id, `aud` = the token URL, `exp` within the hour, a `jti`
 * never seen before.
 *
 *   const app = FakeOktaOAuth.mount(okta, { keys: [{ kid: 'k1', publicKey }] });
 *   app.granted.delete(GOVERNANCE_SCOPE);   // not granted: Okta answers invalid_scope
 *   app.requireDpop = true;                 // invalid_dpop_proof
 *   app.revokeAll();                        // issued tokens now get 401
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GOVERNANCE_SCOPE, REQUIRED_SCOPES } from '../../src/okta/oauth-scopes.ts';
import type { FakeOkta } from './fake-okta.ts';

export const FAKE_CLIENT_ID = '0oaFakeServiceApp0d7';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface RegisteredKey {
  kid: string;
  publicKey: KeyObject;
}

export interface TokenRequest {
  /** the form fields as posted (the assertion included: tests check what was signed) */
  form: URLSearchParams;
  contentType: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  scopes: string[];
  status: number;
  /** what Okta answered: "issued" or the OAuth error code */
  outcome: string;
}

interface Issued {
  expiresAt: number;
  scopes: string[];
  revoked: boolean;
}

export interface FakeOAuthOptions {
  clientId?: string;
  keys: RegisteredKey[];
  /** scopes granted to the app (default: the bot's required ones and the governance one) */
  granted?: string[];
  expiresIn?: number;
}

export class FakeOktaOAuth {
  readonly clientId: string;
  readonly keys: RegisteredKey[];
  readonly granted: Set<string>;
  readonly requests: TokenRequest[] = [];
  /** seconds; what the next tokens are issued for */
  expiresIn: number;
  /** the app's "Require DPoP header in token requests" (on by default for new Okta service apps) */
  requireDpop = false;
  /** grant types the app may use (an OIDC web app without client credentials: unauthorized_client) */
  grantTypes = new Set(['client_credentials']);
  /** Okta's clock: assertion times and token expiry are judged by it */
  now: () => number = Date.now;
  /** false: the invalid_scope description does not say which scope (the bot then asks scope by scope) */
  namesRefusedScopes = true;
  private readonly issued = new Map<string, Issued>();
  private readonly seenJti = new Set<string>();

  private constructor(
    private readonly okta: FakeOkta,
    o: FakeOAuthOptions,
  ) {
    this.clientId = o.clientId ?? FAKE_CLIENT_ID;
    this.keys = o.keys;
    this.granted = new Set(o.granted ?? [...REQUIRED_SCOPES, GOVERNANCE_SCOPE]);
    this.expiresIn = o.expiresIn ?? 3600;
  }

  /** adds the token route to `okta` and makes its API accept only the tokens issued here */
  static mount(okta: FakeOkta, o: FakeOAuthOptions): FakeOktaOAuth {
    const app = new FakeOktaOAuth(okta, o);
    okta.routes.set('POST /oauth2/v1/token', (req, res) => void app.token(req, res));
    okta.isAuthorized = (h) => app.accepts(h);
    return app;
  }

  get tokenUrl(): string {
    return `${this.okta.url}/oauth2/v1/token`;
  }

  /** the tokens issued so far, oldest first */
  get tokens(): string[] {
    return [...this.issued.keys()];
  }

  /** token requests that got a token */
  get issuedCount(): number {
    return this.requests.filter((r) => r.outcome === 'issued').length;
  }

  scopesOf(token: string): string[] {
    return this.issued.get(token)?.scopes ?? [];
  }

  /** every token issued so far is turned down from now on (an admin revoked them, or Okta rotated) */
  revokeAll(): void {
    for (const t of this.issued.values()) t.revoked = true;
  }

  accepts(authorization: string | undefined): boolean {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    const t = m ? this.issued.get(m[1]!) : undefined;
    return t !== undefined && !t.revoked && this.now() < t.expiresAt;
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const form = new URLSearchParams(text);
    const contentType = req.headers['content-type'] ?? '';
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const record: TokenRequest = { form, contentType, scopes, status: 0, outcome: '' };
    this.requests.push(record);
    const answer = (status: number, body: Record<string, unknown>) => {
      record.status = status;
      record.outcome = status === 200 ? 'issued' : String(body.error);
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, error: string, description: string) => answer(status, { error, error_description: description });

    if (contentType !== 'application/x-www-form-urlencoded') return fail(400, 'invalid_request', 'The request must be form-encoded.');
    if (form.get('client_assertion_type') !== JWT_BEARER) return fail(401, 'invalid_client', 'Client authentication failed: client_assertion_type is missing or unsupported.');
    const checked = this.checkAssertion(form.get('client_assertion') ?? '', record);
    if (checked) return fail(401, 'invalid_client', checked);
    if (this.requireDpop && !req.headers.dpop) return fail(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
    if (form.get('grant_type') !== 'client_credentials' || !this.grantTypes.has('client_credentials')) {
      return fail(400, 'unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${[...this.grantTypes].join(', ')}].`);
    }
    if (scopes.length === 0) return fail(400, 'invalid_scope', "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    const refused = scopes.filter((s) => !this.granted.has(s));
    if (refused.length > 0) {
      return fail(400, 'invalid_scope', this.namesRefusedScopes ? `The following scopes are not allowed for this request: [${refused.join(', ')}].` : 'One or more scopes are not configured for the authorization server resource.');
    }
    const accessToken = `fakeAT.${randomBytes(24).toString('base64url')}`;
    this.issued.set(accessToken, { expiresAt: this.now() + this.expiresIn * 1000, scopes, revoked: false });
    answer(200, { token_type: 'Bearer', expires_in: this.expiresIn, access_token: accessToken, scope: scopes.join(' ') });
  }

  /** undefined when the assertion is good, else Okta's kind of invalid_client description */
  private checkAssertion(jwt: string, record: TokenRequest): string | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'The client_assertion is not a well-formed JWT.';
    const [h, c, s] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>;
    } catch {
      return 'The client_assertion is not a well-formed JWT.';
    }
    record.header = header;
    record.claims = claims;
    if (claims.iss !== this.clientId) return "Invalid value for 'client_id' parameter.";
    if (claims.sub !== this.clientId) return "The 'sub' claim of the client_assertion must be the client_id.";
    const key = this.keys.find((k) => k.kid === header.kid);
    if (!key) return 'The client_assertion token has a kid which does not identify a registered signing key.';
    const alg = String(header.alg);
    const expected = key.publicKey.asymmetricKeyType === 'ec' ? /^ES(256|384|512)$/ : /^RS(256|384|512)$/;
    if (!expected.test(alg)) return `The client_assertion token is signed with an algorithm (${alg}) the key does not support.`;
    const good = verify(`sha${alg.slice(2)}`, Buffer.from(`${h}.${c}`), { key: key.publicKey, ...(alg.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}) }, Buffer.from(s, 'base64url'));
    if (!good) return 'The client_assertion signature is invalid.';
    if (claims.aud !== this.tokenUrl) return 'The audience claim for client_assertion must be the endpoint invoked for the request.';
    const now = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return 'The client_assertion token is expired.';
    if (claims.exp - now > 3600) return 'The client_assertion token has an expiration too far into the future.';
    if (typeof claims.jti !== 'string' || claims.jti === '') return "The client_assertion token must contain a 'jti' claim.";
    if (this.seenJti.has(claims.jti)) return "The 'jti' claim in the client_assertion token has already been used.";
    this.seenJti.add(claims.jti);
    return undefined;
  }
}

export interface ServiceAppKey {
  kid: string;
  /** PKCS#8 PEM */
  privatePem: string;
  privateJwk: JsonWebKey;
  publicKey: KeyObject;
}

/** a fresh key pair as Okta's "Add key" gives it: RSA 2048 or EC P-256 / P-384 */
export function serviceAppKey(kind: 'rsa' | 'ec256' | 'ec384' = 'rsa', kid = `kid-${kind}-${randomBytes(4).toString('hex')}`): ServiceAppKey {
  const { privateKey } =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: kind === 'ec256' ? 'P-256' : 'P-384' });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { kid, privatePem, privateJwk: { ...createPrivateKey(privatePem).export({ format: 'jwk' }), kid }, publicKey: createPublicKey(privateKey) };
}

/** the variables of an OAuth service app for `okta` (PEM key and OKTA_PRIVATE_KEY_ID unless `key` is given) */
export function oauthEnv(okta: FakeOkta, app: FakeOktaOAuth, k: ServiceAppKey, extra: Record<string, string> = {}): Record<string, string> {
  return { OKTA_ORG_URL: okta.url, OKTA_CLIENT_ID: app.clientId, OKTA_PRIVATE_KEY: k.privatePem, OKTA_PRIVATE_KEY_ID: k.kid, ...extra };
}
