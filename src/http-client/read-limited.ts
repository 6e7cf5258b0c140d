/**
 * Reads a response body with a size limit. A body must always be consumed or dropped, or undici keeps
 * the socket busy (STACK-NOTES, undici 7); leaving the loop early destroys the stream, which frees it.
 */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/** the whole body as text; BodyTooLargeError past `limit` bytes */
export async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * The first `keep` bytes of the body as text (error bodies are only quoted). The rest is read and dropped
 * up to `drain` bytes so the connection can be reused; past that the stream is destroyed.
 */
export async function readPrefix(body: AsyncIterable<Buffer>, keep: number, drain = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (kept < keep) {
      chunks.push(chunk);
      kept += chunk.length;
    }
    if (size >= drain) break;
  }
  return Buffer.concat(chunks).subarray(0, keep).toString('utf8');
}
