import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors.ts';

/** Okta event hook deliveries are small; anything over 1 MiB is refused with 413 (SPEC §3). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body up to `limit` bytes. Refuses early on a Content-Length over the limit and stops
 * collecting as soon as a chunked body passes it, so an oversized upload never sits in memory.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!failed) reject(new AppError('BODY_UNREADABLE', `could not read the request body: ${e.message}`, 400));
      failed = true;
    });
  });
}

function tooLarge(limit: number): AppError {
  return new AppError('BODY_TOO_LARGE', `body is larger than ${limit} bytes`, 413);
}
