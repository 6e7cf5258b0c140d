/**
 * A stand-in for Bot Framework's token service on 127.0.0.1: OpenID metadata and a signing key
 * (`/.well-known/openidconfiguration`, `/keys`, with the `msteams` endorsement Teams keys carry), and
 * `token()` that signs channel tokens the way Bot Framework does (RS256; iss, aud = the bot's app id,
 * serviceurl, nbf, exp). botbuilder's real validation runs against it when the Teams adapter is told to
 * (TeamsTuning.tokenValidation), so authenticated requests are tested without Microsoft's servers.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ISSUER = 'https://api.botframework.com';

export interface TokenClaims {
  aud: string;
  serviceurl: string;
  iss?: string;
  /** seconds from now; negative for an expired token */
  expiresIn?: number;
}

export class FakeBotFrameworkAuth {
  url = '';
  private readonly server: Server;
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = 'fake-key-1';

  private constructor() {
    this.server = createServer((req, res) => {
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/.well-known/openidconfiguration') return send({ issuer: FAKE_ISSUER, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
      if (req.url === '/keys') return send({ keys: [{ ...this.key.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', endorsements: ['msteams'] }] });
      res.writeHead(404).end();
    });
  }

  static async start(): Promise<FakeBotFrameworkAuth> {
    const fake = new FakeBotFrameworkAuth();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get metadataUrl(): string {
    return `${this.url}/.well-known/openidconfiguration`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** a Bearer value signed with this service's key (or with `otherKey`, which nobody published) */
  token(claims: TokenClaims, otherKey?: KeyObject): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid };
    const payload = { iss: claims.iss ?? FAKE_ISSUER, aud: claims.aud, serviceurl: claims.serviceurl, nbf: now - 60, iat: now - 60, exp: now + (claims.expiresIn ?? 3600) };
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = `${part(header)}.${part(payload)}`;
    const signature = createSign('RSA-SHA256').update(signed).sign(otherKey ?? this.key.privateKey).toString('base64url');
    return `Bearer ${signed}.${signature}`;
  }
}
