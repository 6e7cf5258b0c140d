/**
 * The client assertion of OAuth `private_key_jwt` (RFC 7523 §3, Okta's "Build a JWT for client
 * authentication"): a JWT signed with the service app's private key, `iss` and `sub` the client id, `aud`
 * the token endpoint's URL, a short life and a `jti` Okta refuses to see twice. A new one per token request.
 */
import { randomUUID, sign } from 'node:crypto';
import type { OktaSigningKey } from './okta-key.ts';

/** Okta refuses assertions that live longer than an hour; five minutes covers any clock skew we tolerate */
export const ASSERTION_LIFETIME_S = 300;

export interface AssertionInput {
  clientId: string;
  key: OktaSigningKey;
  /** the `kid` of the public key registered on the Okta app */
  keyId: string;
  /** `{orgUrl}/oauth2/v1/token`, exactly as it is posted to */
  tokenUrl: string;
  /** ms since the epoch */
  now: number;
}

export function clientAssertion(a: AssertionInput): string {
  const iat = Math.floor(a.now / 1000);
  const header = { alg: a.key.alg, kid: a.keyId, typ: 'JWT' };
  const claims = { iss: a.clientId, sub: a.clientId, aud: a.tokenUrl, iat, exp: iat + ASSERTION_LIFETIME_S, jti: randomUUID() };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${signature(a.key, input).toString('base64url')}`;
}

function signature(k: OktaSigningKey, input: string): Buffer {
  const hash = `sha${k.alg.slice(2)}`;
  // JWS ES* signatures are r||s of fixed length (RFC 7518 §3.4), not the DER node:crypto gives by default
  return k.alg.startsWith('ES') ? sign(hash, Buffer.from(input), { key: k.key, dsaEncoding: 'ieee-p1363' }) : sign(hash, Buffer.from(input), k.key);
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}
