import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Okta event hooks authenticate with one static header whose value is the configured secret; there is no
 * signature (SPEC §3). Compare in constant time: both sides are hashed first so neither the length nor
 * the content of the secret leaks through timing.
 */
export function verifyHookAuth(headers: IncomingHttpHeaders, headerName: string, secret: string): boolean {
  const sent = headers[headerName.toLowerCase()];
  if (typeof sent !== 'string' || sent.length === 0) return false;
  return timingSafeEqual(sha256(sent), sha256(secret));
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
