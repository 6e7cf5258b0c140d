/**
 * How the bot proves itself to the Okta Management API. Two ways exist (SPEC §2, §9): an SSWS API token
 * (`OKTA_API_TOKEN`), or an OAuth 2.0 service app (`OKTA_CLIENT_ID` + private key: see oauth-token.ts). Every
 * Okta call (System Log pages, Verify's reads) goes through `oktaGet`, so both ways behave the same:
 * the header is asked for per call (an access token may have been renewed), and a 401 on a renewable
 * credential drops the cached token and tries once more.
 */
import type { Logger } from 'pino';
import type { OktaConfig } from '../config/config.ts';
import { createHttpAgent } from '../http-client/agent.ts';
import { HttpClient, type HttpClientOptions, type JsonResponse } from '../http-client/http-client.ts';
import { HttpError } from '../http-client/http-error.ts';
import { OAuthRefused } from './oauth-refusal.ts';
import { OAuthTokens } from './oauth-token.ts';

export interface OktaAuth {
  /** "API token" or "OAuth service app", for messages */
  readonly kind: string;
  /** the Authorization header value for the next call */
  authorization(): Promise<string>;
  /**
   * Okta answered 401 to a call made with `authorization`'s value. Returns true when a new value may
   * succeed (a cached access token expired or was revoked early), false when retrying cannot help.
   */
  rejected(value: string): boolean;
  /** a credential that can be checked at start (OAuth: get the first token); throws OAuthRefused or HttpError */
  check?(): Promise<void>;
  /** frees what the credential holds (the token endpoint's connections) */
  close?(): Promise<void>;
}

/** `Authorization: SSWS <token>`: nothing to renew */
export function apiTokenAuth(token: string): OktaAuth {
  const value = `SSWS ${token}`;
  return { kind: 'API token', authorization: async () => value, rejected: () => false };
}

/** `Authorization: Bearer <access token>` of the service app, renewed before expiry and after a 401 */
export function oauthAuth(tokens: OAuthTokens, close: () => Promise<void> = async () => undefined): OktaAuth {
  return {
    kind: 'OAuth service app',
    authorization: async () => `Bearer ${(await tokens.get()).value}`,
    rejected(value) {
      tokens.drop(value.replace(/^Bearer /, ''));
      return true;
    },
    async check() {
      await tokens.get();
    },
    close,
  };
}

/** Where the bot reaches Okta and how it authenticates there. */
export interface OktaConnection {
  /** https://your-org.okta.com, no trailing slash */
  orgUrl: string;
  auth: OktaAuth;
}

/** one authorized GET (JSON), renewed once on 401 when the credential can be renewed */
export async function oktaGet(http: HttpClient, okta: OktaConnection, label: string, url: string): Promise<JsonResponse> {
  for (let attempt = 1; ; attempt++) {
    const authorization = await okta.auth.authorization();
    try {
      return await http.json({ label, method: 'GET', url, headers: { authorization } });
    } catch (err) {
      if (attempt === 1 && err instanceof HttpError && err.statusCode === 401 && okta.auth.rejected(authorization)) continue;
      throw err;
    }
  }
}

export interface OktaConnectionOptions {
  /** where the once-only notes of the token client go (an optional scope refused) */
  log?: Logger;
  /** retries of the token request (tests shorten them) */
  http?: Omit<HttpClientOptions, 'dispatcher' | 'log'>;
}

/** the connection the configuration describes; an OAuth one has its own connections to the token endpoint */
export function oktaConnection(c: OktaConfig, o: OktaConnectionOptions = {}): OktaConnection {
  const orgUrl = c.orgUrl.replace(/\/+$/, '');
  if (!c.oauth) return { orgUrl, auth: apiTokenAuth(c.apiToken ?? '') };
  const agent = createHttpAgent();
  const http = new HttpClient({ ...o.http, dispatcher: agent, ...(o.log ? { log: o.log.child({ component: 'okta-oauth' }) } : {}) });
  const { clientId, privateKey, keyId } = c.oauth;
  const tokens = new OAuthTokens({ orgUrl, clientId, key: privateKey, keyId, http, ...(o.log ? { log: o.log } : {}) });
  return { orgUrl, auth: oauthAuth(tokens, () => agent.close()) };
}

/**
 * The start-up check: with an OAuth service app, a first token. Okta refusing it stops the start with
 * OAuthRefused's one line (wrong key, scope not granted, DPoP required…); Okta out of reach is only a
 * warning, since the pollers and Verify ask again on their own.
 */
export async function checkOktaAtStart(okta: OktaConnection, log: Logger): Promise<void> {
  if (!okta.auth.check) return;
  try {
    await okta.auth.check();
    log.info({ okta: okta.orgUrl, credential: okta.auth.kind }, 'Okta issued an access token to the service app');
  } catch (err) {
    if (err instanceof OAuthRefused) throw err;
    log.warn({ okta: okta.orgUrl, error: err instanceof Error ? err.message : String(err) }, 'could not get an Okta access token at start; the System Log backfill and Verify will try again');
  }
}
