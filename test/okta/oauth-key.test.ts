/**
 * OKTA_PRIVATE_KEY as people paste it: PEM (PKCS#8, PKCS#1, SEC1), a JWK or a JWK Set, a PEM squeezed into
 * one line with "\n"; and the keys Okta cannot use, each refused with a sentence that says why.
 */
import { createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientAssertion } from '../../src/okta/client-assertion.ts';
import { KeyProblem, parseOktaKey } from '../../src/okta/okta-key.ts';
import { serviceAppKey } from '../helpers/fake-okta-oauth.ts';

const rsa = serviceAppKey('rsa', 'kid-rsa');
const ec = serviceAppKey('ec256', 'kid-ec');

function problem(text: string, kid?: string): string {
  try {
    parseOktaKey(text, kid);
  } catch (err) {
    expect(err).toBeInstanceOf(KeyProblem);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseOktaKey', () => {
  it('reads PEM in its three forms and picks the algorithm from the key', () => {
    expect(parseOktaKey(rsa.privatePem).alg).toBe('RS256');
    const pkcs1 = createPrivateKey(rsa.privatePem).export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(parseOktaKey(pkcs1).alg).toBe('RS256');
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    expect(parseOktaKey(sec1).alg).toBe('ES384');
    expect(parseOktaKey(ec.privatePem).alg).toBe('ES256');
    const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(parseOktaKey(p521).alg).toBe('ES512');
  });

  it('reads a PEM pasted into one line with \\n', () => {
    expect(parseOktaKey(rsa.privatePem.trim().replace(/\n/g, '\\n')).alg).toBe('RS256');
  });

  it('reads a JWK with its kid and alg, and a JWK Set by kid', () => {
    expect(parseOktaKey(JSON.stringify(ec.privateJwk))).toMatchObject({ alg: 'ES256', kid: 'kid-ec' });
    expect(parseOktaKey(JSON.stringify({ ...rsa.privateJwk, alg: 'RS384' }))).toMatchObject({ alg: 'RS384', kid: 'kid-rsa' });
    expect(parseOktaKey(JSON.stringify({ keys: [rsa.privateJwk] })).kid).toBe('kid-rsa');
    expect(parseOktaKey(JSON.stringify({ keys: [rsa.privateJwk, ec.privateJwk] }), 'kid-ec').alg).toBe('ES256');
    expect(problem(JSON.stringify({ keys: [rsa.privateJwk, ec.privateJwk] }))).toMatch(/JWK Set with 2 keys; set OKTA_PRIVATE_KEY_ID/);
  });

  it('signs assertions the public key verifies (RS256 and ES256 as r||s)', () => {
    for (const k of [rsa, ec]) {
      const key = parseOktaKey(k.privatePem);
      const jwt = clientAssertion({ clientId: '0oa1', key, keyId: k.kid, tokenUrl: 'https://acme.okta.com/oauth2/v1/token', now: Date.now() });
      const [h, c, s] = jwt.split('.') as [string, string, string];
      const sig = Buffer.from(s, 'base64url');
      if (key.alg === 'ES256') expect(sig).toHaveLength(64);
      expect(verify('sha256', Buffer.from(`${h}.${c}`), { key: k.publicKey, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    }
  });

  it('refuses what Okta cannot use, saying why, never quoting the key', () => {
    const pub = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(problem(pub)).toMatch(/^is a public key \(PUBLIC KEY\); the bot needs the private key/);
    const { d: _d, ...publicJwk } = rsa.privateJwk;
    expect(problem(JSON.stringify(publicJwk))).toMatch(/^is a public JWK/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(problem(small)).toBe('is an RSA key of 1024 bits; Okta needs 2048 bits or more');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(problem(ed)).toMatch(/^is a key of type ed25519; Okta accepts RSA keys/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(problem(k1)).toMatch(/^is an EC key on curve secp256k1/);
    const encrypted = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(problem(encrypted)).toMatch(/^is encrypted with a passphrase/);
    expect(problem(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }))).toMatch(/^is a key of type oct/);
    expect(problem('0oa-not-a-key')).toMatch(/^is neither a PEM private key .* nor a JWK/);
    expect(problem('{"kty":')).toMatch(/not valid JSON/);
    const broken = rsa.privatePem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const said = problem(broken);
    expect(said).toMatch(/^is not a readable PEM private key/);
    const body = rsa.privatePem.split('\n')[5]!;
    for (const m of [said, problem(pub), problem(small)]) expect(m).not.toContain(body);
  });
});
