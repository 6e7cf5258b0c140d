/**
 * The private key of the Okta OAuth service app (`OKTA_PRIVATE_KEY`), read from PEM or JWK text into a
 * node:crypto KeyObject, with the JWS algorithm it signs with. Okta's `private_key_jwt` accepts RS256/384/512
 * and ES256/384/512 (Okta's "Build a JWT for client authentication" guide), and RSA keys of 2048 bits or
 * more; anything else is refused here, at start, with a sentence that says what was given instead.
 * The problems never quote the key.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export type SigningAlg = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

export interface OktaSigningKey {
  key: KeyObject;
  alg: SigningAlg;
  /** a JWK's own `kid`, which may stand in for OKTA_PRIVATE_KEY_ID */
  kid?: string;
}

/** what is wrong with the key text, as the end of a sentence that starts with the variable's name */
export class KeyProblem extends Error {}

const EC_ALGS: Record<string, SigningAlg> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const RSA_ALGS = new Set<string>(['RS256', 'RS384', 'RS512']);
const MIN_RSA_BITS = 2048;
const ACCEPTED = 'Okta accepts RSA keys of 2048 bits or more (RS256) and EC keys on P-256, P-384 or P-521 (ES256/384/512)';

/**
 * `text`: a PEM private key (PKCS#8 `BEGIN PRIVATE KEY`, PKCS#1 `BEGIN RSA PRIVATE KEY`, SEC1
 * `BEGIN EC PRIVATE KEY`), a private JWK, or a JWK Set holding it (picked by `kid` when it has several).
 */
export function parseOktaKey(text: string, kid?: string): OktaSigningKey {
  // a PEM pasted into a one-line variable often carries "\n" as two characters
  const t = text.includes('\n') ? text.trim() : text.trim().replace(/\\n/g, '\n');
  if (t.startsWith('{')) return fromJwk(pickJwk(t, kid));
  if (t.includes('-----BEGIN')) return fromPem(t);
  throw new KeyProblem('is neither a PEM private key ("-----BEGIN PRIVATE KEY-----…") nor a JWK ({"kty":…}); to read it from a file, write @/path/to/key.pem');
}

function fromPem(pem: string): OktaSigningKey {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1] ?? '';
  if (/PUBLIC KEY|CERTIFICATE/.test(label)) {
    throw new KeyProblem(`is a public key (${label}); the bot needs the private key, and the public key is what you register on the Okta app`);
  }
  if (label.includes('ENCRYPTED') || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) {
    throw new KeyProblem('is encrypted with a passphrase; give it unencrypted (openssl pkcs8 -topk8 -nocrypt -in key.pem) and protect the file instead');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new KeyProblem(`is not a readable PEM private key (${readError(err)})`);
  }
  return { key, alg: algFor(key) };
}

function pickJwk(text: string, kid: string | undefined): JsonWebKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyProblem('starts with "{" but is not valid JSON (a JWK is a JSON object)');
  }
  const obj = parsed as { keys?: unknown };
  if (!Array.isArray(obj.keys)) return parsed as JsonWebKey;
  const keys = obj.keys as JsonWebKey[];
  if (keys.length === 1) return keys[0]!;
  const match = kid !== undefined ? keys.find((k) => k.kid === kid) : undefined;
  if (!match) {
    throw new KeyProblem(`is a JWK Set with ${keys.length} keys; set OKTA_PRIVATE_KEY_ID to the kid of the one to use${kid !== undefined ? ` (none has kid "${kid}")` : ''}`);
  }
  return match;
}

function fromJwk(jwk: JsonWebKey): OktaSigningKey {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') throw new KeyProblem('is JSON but not a JWK (it has no "kty")');
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw new KeyProblem(`is a key of type ${jwk.kty}; ${ACCEPTED}`);
  if (typeof jwk.d !== 'string') {
    throw new KeyProblem('is a public JWK (it has no "d"); the bot needs the private key, and the public key is what you register on the Okta app');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    throw new KeyProblem(`is not a usable ${jwk.kty} JWK (${readError(err)})`);
  }
  const alg = algFor(key);
  const chosen = jwk.kty === 'RSA' && typeof jwk.alg === 'string' && RSA_ALGS.has(jwk.alg) ? (jwk.alg as SigningAlg) : alg;
  return { key, alg: chosen, ...(typeof jwk.kid === 'string' && jwk.kid !== '' ? { kid: jwk.kid } : {}) };
}

function algFor(key: KeyObject): SigningAlg {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new KeyProblem(`is an RSA key of ${bits} bits; Okta needs ${MIN_RSA_BITS} bits or more`);
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec') {
    const alg = EC_ALGS[details.namedCurve ?? ''];
    if (!alg) throw new KeyProblem(`is an EC key on curve ${details.namedCurve ?? 'unknown'}; ${ACCEPTED}`);
    return alg;
  }
  throw new KeyProblem(`is a key of type ${key.asymmetricKeyType ?? 'unknown'}; ${ACCEPTED}`);
}

/** node:crypto's reason without anything of the input: its messages name formats, never key material */
function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return code ? `${code}: ${message}` : message;
}
