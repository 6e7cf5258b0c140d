/**
 * The CLI's side of DATA_DIR/oig.sock (socket-server.ts): one request line, one reply line. Tells apart
 * "no bot listens here" (ask the store instead), "not allowed" (the socket is another user's) and a bot
 * that went away in the middle of its answer.
 */
import net from 'node:net';
import type { OigReply, OigRequest } from './answer-reply.ts';

/** no bot answers at this path: no socket file, or a dead bot's (kill -9) */
export class NoBotError extends Error {
  constructor(readonly file: string) {
    super(`no bot answers at ${file}`);
    this.name = 'NoBotError';
  }
}

/** the socket is there but cannot be used, or the bot stopped answering: a one-line reason for the user */
export class AskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AskFailedError';
  }
}

/** a whole answer at 1M events is ~20 MB of JSON and takes well under a second; a hung bot must not hang the CLI */
const REPLY_TIMEOUT_MS = 60_000;

export function askBot(file: string, req: OigRequest, timeoutMs = REPLY_TIMEOUT_MS): Promise<OigReply> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(file);
    const chunks: Buffer[] = [];
    let connected = false;
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      conn.destroy();
      reject(err);
    };
    conn.setTimeout(timeoutMs, () => fail(new AskFailedError(`the bot did not answer within ${timeoutMs / 1000} s (${file})`)));
    conn.on('connect', () => {
      connected = true;
      conn.end(`${JSON.stringify(req)}\n`);
    });
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED')) return fail(new NoBotError(file));
      if (err.code === 'EACCES' || err.code === 'EPERM') {
        return fail(new AskFailedError(`not allowed to connect to ${file}: only the user the bot runs as may ask it (run npm run oig as that user)`));
      }
      fail(new AskFailedError(connected ? `the connection to the bot broke before its answer was complete (${err.code ?? err.message}): did it stop?` : `cannot connect to ${file}: ${err.message}`));
    });
    conn.on('close', () => {
      if (settled) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.endsWith('\n')) return fail(new AskFailedError('the bot closed the connection before its answer was complete: did it stop? Ask again.'));
      try {
        settled = true;
        resolve(JSON.parse(text) as OigReply);
      } catch {
        reject(new AskFailedError('the bot sent an answer that is not JSON: is DATA_DIR/oig.sock really oig-chatops?'));
      }
    });
  });
}
