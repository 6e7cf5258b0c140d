/**
 * The running bot answers `npm run oig` on a Unix socket, DATA_DIR/oig.sock (issue 14 §1).
 *
 * Why a socket and not an admin token plus a loopback-only HTTP route: while the bot runs it holds DATA_DIR
 * (store/data-dir-lock.ts) and its store lives in its memory, so the CLI must ask the bot. A socket file
 * made with mode 0600 can be connected to only by the bot's own user (and root): Linux checks write
 * permission on the socket file at connect(2). That is exactly the people who can already read DATA_DIR,
 * with nothing to leak — no token that could end up in a log, a backup or a shell history — and nothing
 * reachable over the network: no port, so a reverse proxy on the same host (whose requests come from
 * 127.0.0.1 and would pass a loopback check) cannot forward to it. Replicas on PostgreSQL have no DATA_DIR:
 * there the CLI reads the database itself, which whoever has DATABASE_URL can read anyway.
 *
 * Protocol: one JSON request line ({"words":"skipped"}, answer-reply.ts), one JSON reply line, then the
 * bot closes the connection. A request is at most 8 KiB and must arrive within 5 s.
 *
 * Lifetime: listened on after the bot has started (the DATA_DIR lock is held, so a socket file left there
 * is a dead bot's and is replaced), removed at stop. Not available on Windows, and not where the path is
 * longer than a socket address holds (107 bytes): Node would bind a truncated path. Either way the bot
 * starts as usual and says why `npm run oig` cannot reach it.
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CommandDeps } from '../../commands/deps.ts';
import { parseRequest, replyTo, type OigReply } from './answer-reply.ts';

export const SOCKET_FILE = 'oig.sock';
/** sun_path holds 108 bytes on Linux, one of them the terminating NUL (104 on macOS) */
export const MAX_SOCKET_PATH = process.platform === 'darwin' ? 103 : 107;
const MAX_REQUEST = 8 * 1024;
const REQUEST_TIMEOUT_MS = 5_000;

export function socketPath(dataDir: string): string {
  return path.resolve(dataDir, SOCKET_FILE);
}

/** why no socket can be served at `file`, or undefined when it can */
export function socketUnusable(file: string): string | undefined {
  if (process.platform === 'win32') return 'Unix sockets in DATA_DIR are not supported on Windows';
  const bytes = Buffer.byteLength(file);
  return bytes > MAX_SOCKET_PATH ? `its path ${file} is ${bytes} bytes, longer than a socket address holds (${MAX_SOCKET_PATH}): use a shorter DATA_DIR` : undefined;
}

export class OigSocketServer {
  private server: net.Server | undefined;
  /** the socket file's inode once listening: only that file is removed at stop */
  private ino: number | undefined;

  constructor(
    private readonly config: { dataDir: string; databaseUrl?: string | undefined },
    private readonly deps: CommandDeps,
    private readonly log: Logger,
  ) {}

  /** listens on DATA_DIR/oig.sock (nothing with DATABASE_URL); never fails the bot's start */
  async start(): Promise<void> {
    if (this.config.databaseUrl !== undefined) return;
    const file = socketPath(this.config.dataDir);
    const unusable = socketUnusable(file);
    if (unusable) {
      this.log.warn({ why: unusable }, '`npm run oig` cannot reach this bot: no socket in DATA_DIR');
      return;
    }
    try {
      await this.listen(file);
    } catch (err) {
      this.log.warn({ err, file }, '`npm run oig` cannot reach this bot: the socket in DATA_DIR could not be made');
    }
  }

  /** stops answering and removes the socket file */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const file = socketPath(this.config.dataDir);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const now = await lstat(file).catch(() => undefined);
    if (now && now.ino === this.ino) await unlink(file).catch(() => undefined);
  }

  private async listen(file: string): Promise<void> {
    const old = await lstat(file).catch(() => undefined);
    if (old && !old.isSocket()) throw new Error(`${file} exists and is not a socket: move it away`);
    // this process holds DATA_DIR: a socket there is a dead bot's (kill -9 leaves it)
    if (old) await unlink(file);
    const server = net.createServer((conn) => this.serve(conn));
    server.maxConnections = 8;
    // the file is created 0600 from the start (no moment where another user could connect); the umask
    // is process-wide, but the bind happens within listen() itself, before anything else runs here
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(file, () => resolve());
      });
    } finally {
      process.umask(umask);
    }
    await chmod(file, 0o600);
    this.ino = (await lstat(file)).ino;
    server.on('error', (err) => this.log.warn({ err }, 'the `npm run oig` socket failed'));
    this.server = server;
  }

  private serve(conn: net.Socket): void {
    let buffered = '';
    conn.setEncoding('utf8');
    conn.setTimeout(REQUEST_TIMEOUT_MS, () => conn.destroy());
    conn.on('error', () => undefined);
    const onData = (chunk: string): void => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0 && buffered.length <= MAX_REQUEST) return;
      conn.off('data', onData);
      conn.setTimeout(0);
      const reply: OigReply = end < 0 || end > MAX_REQUEST ? { kind: 'error', message: `the request is longer than ${MAX_REQUEST} bytes` } : this.answer(buffered.slice(0, end));
      conn.end(`${JSON.stringify(reply)}\n`);
    };
    conn.on('data', onData);
    // a client that half-closes after its request without a newline: the request is what it sent
    conn.on('end', () => {
      if (conn.listenerCount('data') > 0) onData('\n');
    });
  }

  private answer(line: string): OigReply {
    const req = parseRequest(line);
    if (typeof req === 'string') return { kind: 'error', message: req };
    try {
      return replyTo(req, this.deps);
    } catch (err) {
      this.log.error({ err }, 'an `npm run oig` question failed');
      return { kind: 'error', message: `the bot could not answer: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
