/**
 * Okta said no to a token request. Its answer (RFC 6749 §5.2: `{error, error_description}`, 400 or 401)
 * becomes one line that names what was refused and what to change in the Okta Admin Console, because this
 * is the line an operator reads when the bot does not start. Network failures, 429 and 5xx are not
 * refusals: they pass through as HttpError and are retried later.
 */
import { AppError } from '../errors.ts';
import { HttpError } from '../http-client/http-error.ts';

export type RefusalKind = 'dpop' | 'invalid_client' | 'invalid_scope' | 'unauthorized_client' | 'other';

export class OAuthRefused extends AppError {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** Okta's `error` and `error_description`, when it sent them */
    readonly error: string | undefined,
    readonly description: string | undefined,
    /** invalid_scope: the scopes known to be refused (empty when Okta did not say which) */
    readonly scopes: readonly string[] = [],
  ) {
    super('OKTA_OAUTH_REFUSED', message, 502);
    this.name = 'OAuthRefused';
  }
}

const APP = 'Applications › Applications › your API Services app';

/** an HttpError of the token endpoint as a refusal, or undefined when it is not one (unreachable, 429, 5xx) */
export function asRefusal(err: unknown, tokenUrl: string): OAuthRefused | undefined {
  if (!(err instanceof HttpError) || err.code !== 'HTTP_STATUS' || err.statusCode === undefined) return undefined;
  const status = err.statusCode;
  if (status < 400 || status >= 500 || status === 429) return undefined;
  const error = err.details?.error;
  const description = err.details?.error_description;
  if (error === undefined) {
    return new OAuthRefused('other', `Okta's token endpoint POST ${tokenUrl} answered ${status}${err.details ? ` (${Object.values(err.details).join(': ')})` : ''}: check OKTA_ORG_URL (your Okta org, like https://acme.okta.com)`, undefined, undefined);
  }
  return refusal(error, description);
}

/** the line for an OAuth error, with the scopes it concerns for invalid_scope */
export function refusal(error: string, description: string | undefined, scopes: readonly string[] = [], requested: readonly string[] = []): OAuthRefused {
  const said = `${error}${description ? `: ${description}` : ''}`;
  if (error === 'invalid_dpop_proof' || error === 'use_dpop_nonce' || /\bdpop\b/i.test(description ?? '')) {
    return new OAuthRefused('dpop', `Okta requires DPoP proofs from this service app (${said}), which the bot does not send: in the Okta Admin Console open ${APP} › General › General Settings › Edit, clear "Require Demonstrating Proof of Possession (DPoP) header in token requests" and save`, error, description);
  }
  if (error === 'invalid_client') {
    return new OAuthRefused('invalid_client', `Okta refused the service app's client assertion (${said}): check that OKTA_CLIENT_ID is the app's Client ID, that under ${APP} › General › Client Credentials the client authentication is "Public key / Private key" with the public half of OKTA_PRIVATE_KEY added and Active, that OKTA_PRIVATE_KEY_ID is that key's KID, and that this machine's clock is right`, error, description);
  }
  if (error === 'invalid_scope') {
    const which = scopes.length > 0 ? `the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}` : `one of the scopes ${requested.join(', ')}`;
    return new OAuthRefused('invalid_scope', `Okta did not grant ${which} to the service app (${said}): grant ${scopes.length > 1 ? 'them' : 'it'} under ${APP} › Okta API Scopes, then restart the bot`, error, description, scopes);
  }
  if (error === 'unauthorized_client') {
    return new OAuthRefused('unauthorized_client', `Okta does not let this app use the client credentials grant (${said}): create an API Services app (Applications › Create App Integration › API Services), or allow the "Client Credentials" grant type in the app's General Settings`, error, description);
  }
  return new OAuthRefused('other', `Okta refused the OAuth token request (${said})`, error, description);
}
