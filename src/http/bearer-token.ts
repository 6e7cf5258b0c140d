import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <token>` (RFC 6750 §2.1) against the configured token. The scheme is
 * case-insensitive (RFC 9110 §11.1: "bearer" is as good as "Bearer"); the token is compared in constant
 * time, both sides hashed first so neither its length nor its content leaks through timing.
 */
export function verifyBearer(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  const sent = m?.[1] ?? '';
  // hashed and compared even when absent (the configured token is never empty), so a missing token takes
  // as long as a wrong one
  return timingSafeEqual(sha256(sent), sha256(token));
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
