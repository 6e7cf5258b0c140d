/**
 * How the bot proves itself to the Okta Management API. Two ways exist (SPEC §2, §9): an SSWS API token
 * (`OKTA_API_TOKEN`), or an OAuth 2.0 service app (`OKTA_CLIENT_ID` + private key: see oauth-auth.ts). Every
 * Okta call (System Log pages, Verify's reads) goes through `oktaGet`, so both ways behave the same:
 * the header is asked for per call (an access token may have been renewed), and a 401 on a renewable
 * credential drops the cached token and tries once more.
 */
import type { HttpClient, JsonResponse } from '../http-client/http-client.ts';
import { HttpError } from '../http-client/http-error.ts';

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
}

/** `Authorization: SSWS <token>`: nothing to renew */
export function apiTokenAuth(token: string): OktaAuth {
  const value = `SSWS ${token}`;
  return { kind: 'API token', authorization: async () => value, rejected: () => false };
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

/** the connection the configuration describes */
export function oktaConnection(c: { orgUrl: string; apiToken: string }): OktaConnection {
  return { orgUrl: c.orgUrl.replace(/\/+$/, ''), auth: apiTokenAuth(c.apiToken) };
}
