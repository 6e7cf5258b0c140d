/**
 * Access tokens of the Okta OAuth service app: client credentials with `private_key_jwt` against the org
 * authorization server (`POST {orgUrl}/oauth2/v1/token`, Okta's "Implement OAuth for Okta with a service
 * app"). One token is shared by every caller and kept until shortly before `expires_in`; callers that ask
 * while it is being fetched wait for the same request. A token Okta turned down early (401) is dropped.
 */
import type { Logger } from 'pino';
import type { HttpClient } from '../http-client/http-client.ts';
import { HttpError } from '../http-client/http-error.ts';
import { clientAssertion } from './client-assertion.ts';
import { asRefusal, OAuthRefused, refusal } from './oauth-refusal.ts';
import { GOVERNANCE_SCOPE, REQUIRED_SCOPES, scopesNamedIn } from './oauth-scopes.ts';
import type { OktaSigningKey } from './okta-key.ts';

export interface OAuthTokensOptions {
  /** https://your-org.okta.com, no trailing slash */
  orgUrl: string;
  clientId: string;
  key: OktaSigningKey;
  keyId: string;
  http: HttpClient;
  log?: Logger;
  now?: () => number;
}

export interface AccessToken {
  value: string;
  /** ms since the epoch: asked for again from then on */
  renewAt: number;
  /** what Okta granted (its `scope` field) */
  scopes: readonly string[];
}

/** renew this long before expiry (at most a tenth of the token's life), so a call never carries a token at its last second */
const RENEW_EARLY_MS = 60_000;

export class OAuthTokens {
  readonly tokenUrl: string;
  private cached?: AccessToken;
  private pending?: Promise<AccessToken>;
  /** ask for the optional governance scope until Okta refuses it once */
  private governance = true;
  private readonly now: () => number;

  constructor(private readonly o: OAuthTokensOptions) {
    this.tokenUrl = `${o.orgUrl}/oauth2/v1/token`;
    this.now = o.now ?? Date.now;
  }

  /** a valid access token, from the cache or from Okta; throws OAuthRefused or HttpError */
  async get(): Promise<AccessToken> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached;
    if (!this.pending) {
      const p = this.fetch();
      // cleared after the assignment above, and only if no newer request took its place
      this.pending = p;
      p.then(
        (t) => {
          this.cached = t;
        },
        () => undefined,
      ).finally(() => {
        if (this.pending === p) this.pending = undefined;
      });
    }
    return this.pending;
  }

  /** Okta answered 401 to `value`: forget it, so the next call fetches a new one */
  drop(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }

  private async fetch(): Promise<AccessToken> {
    const wanted = this.governance ? [...REQUIRED_SCOPES, GOVERNANCE_SCOPE] : [...REQUIRED_SCOPES];
    let refused: OAuthRefused;
    try {
      return await this.request(wanted);
    } catch (err) {
      if (!(err instanceof OAuthRefused) || err.kind !== 'invalid_scope') throw err;
      refused = err;
    }
    const named = scopesNamedIn(refused.description, wanted);
    if (this.governance && named.every((s) => s === GOVERNANCE_SCOPE)) {
      try {
        const token = await this.request(REQUIRED_SCOPES);
        this.governance = false;
        this.o.log?.warn(
          { scope: GOVERNANCE_SCOPE },
          `Okta did not grant ${GOVERNANCE_SCOPE} to the service app: Verify runs without OIG grant sources (grant it under Applications › the app › Okta API Scopes, then restart)`,
        );
        return token;
      } catch (err) {
        if (!(err instanceof OAuthRefused) || err.kind !== 'invalid_scope') throw err;
        refused = err;
      }
    }
    throw await this.nameRefusedScopes(refused, named.filter((s) => s !== GOVERNANCE_SCOPE));
  }

  /**
   * A required scope was refused. Okta's description does not always say which, so each required scope is
   * then asked for alone: the operator gets the names to grant, not a list to guess from.
   */
  private async nameRefusedScopes(refused: OAuthRefused, named: string[]): Promise<OAuthRefused> {
    const scopes = named.length > 0 ? named : scopesNamedIn(refused.description, REQUIRED_SCOPES);
    if (scopes.length === 0) {
      for (const scope of REQUIRED_SCOPES) {
        try {
          await this.request([scope]);
        } catch (err) {
          if (err instanceof OAuthRefused && err.kind === 'invalid_scope') scopes.push(scope);
          else break;
        }
      }
    }
    return refusal(refused.error ?? 'invalid_scope', refused.description, scopes, REQUIRED_SCOPES);
  }

  private async request(scopes: readonly string[]): Promise<AccessToken> {
    const form = () => ({
      grant_type: 'client_credentials',
      scope: scopes.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion({ clientId: this.o.clientId, key: this.o.key, keyId: this.o.keyId, tokenUrl: this.tokenUrl, now: this.now() }),
    });
    let body: unknown;
    try {
      body = (await this.o.http.json({ label: 'Okta OAuth token request', method: 'POST', url: this.tokenUrl, form })).body;
    } catch (err) {
      throw asRefusal(err, this.tokenUrl) ?? err;
    }
    return this.accept(body);
  }

  /** `{token_type: "Bearer", expires_in, access_token, scope}`; a DPoP-bound token cannot be used without proofs */
  private accept(body: unknown): AccessToken {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const type = typeof b.token_type === 'string' ? b.token_type : '';
    if (type.toLowerCase() === 'dpop') throw refusal('invalid_dpop_proof', 'Okta issued a DPoP-bound token');
    const expiresIn = typeof b.expires_in === 'number' ? b.expires_in : NaN;
    if (type.toLowerCase() !== 'bearer' || typeof b.access_token !== 'string' || b.access_token === '' || !(expiresIn > 0)) {
      throw new HttpError('HTTP_BAD_BODY', `Okta OAuth token request failed: POST ${this.tokenUrl} answered without a Bearer access_token and expires_in`);
    }
    const lifeMs = expiresIn * 1000;
    return {
      value: b.access_token,
      renewAt: this.now() + lifeMs - Math.min(RENEW_EARLY_MS, lifeMs / 10),
      scopes: typeof b.scope === 'string' ? b.scope.split(' ').filter(Boolean) : [],
    };
  }
}
