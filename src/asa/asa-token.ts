/**
 * The ASA service-user token (SPEC §6): `POST {base}/v1/teams/{team}/service_token` with the API key
 * → `{bearer_token, expires_at, team_name}`. Renewed a minute before `expires_at`, and whenever a call is
 * answered 401 (`invalidate`): Okta's reference warns that "auth tokens may expire at any time" and asks
 * clients to handle a 401 by creating a new one. Concurrent callers share one exchange.
 */
import { AppError } from '../errors.ts';
import type { HttpClient } from '../http-client/http-client.ts';
import { HttpError } from '../http-client/http-error.ts';

export interface AsaCredentials {
  /** ASA_BASE_URL without a trailing slash: https://app.scaleft.com or https://<org>.pam.okta.com */
  baseUrl: string;
  team: string;
  keyId: string;
  keySecret: string;
}

/** renew this long before `expires_at`, so a token never expires between the check and the call */
const RENEW_BEFORE_MS = 60_000;
/** when `expires_at` is missing, in the past (clock skew) or unreadable: use the token this long, 401 renews it */
const FALLBACK_LIFETIME_MS = 5 * 60_000;

export function teamUrl(c: AsaCredentials, path: string): string {
  return `${c.baseUrl}/v1/teams/${encodeURIComponent(c.team)}/${path}`;
}

export class AsaTokenSource {
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  /** exchanges made, for status and tests */
  exchanges = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly creds: AsaCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** the server refused `value` (401): the next `get` exchanges the key again */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async exchange(): Promise<string> {
    this.exchanges++;
    let body: unknown;
    try {
      ({ body } = await this.http.json({
        label: 'ASA service token',
        method: 'POST',
        url: teamUrl(this.creds, 'service_token'),
        json: { key_id: this.creds.keyId, key_secret: this.creds.keySecret },
      }));
    } catch (err) {
      if (err instanceof HttpError && (err.statusCode === 401 || err.statusCode === 403 || err.statusCode === 404)) {
        throw new AppError('ASA_AUTH', `${err.message}. Check ASA_TEAM, ASA_KEY_ID and ASA_KEY_SECRET (an API key of an ASA service user) and ASA_BASE_URL`, 502);
      }
      throw err;
    }
    const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (typeof b.bearer_token !== 'string' || b.bearer_token === '') {
      const got = typeof body === 'object' && body !== null ? `keys: ${Object.keys(b).join(', ') || 'none'}` : typeof body;
      throw new AppError('ASA_BAD_TOKEN', `ASA service token failed: the answer has no bearer_token (${got})`, 502);
    }
    const now = this.now();
    const expiresAt = typeof b.expires_at === 'string' ? Date.parse(b.expires_at) : NaN;
    const renewAt = Number.isNaN(expiresAt) || expiresAt - RENEW_BEFORE_MS <= now ? now + FALLBACK_LIFETIME_MS : expiresAt - RENEW_BEFORE_MS;
    this.token = { value: b.bearer_token, renewAt };
    return b.bearer_token;
  }
}
