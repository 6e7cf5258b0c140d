/**
 * `oig export …` in Teams (issue 7: "the CSV as an attachment or a download link"). A bot cannot attach a
 * file to a channel message without SharePoint/Graph permissions, so the bot serves the CSV itself from its
 * one port: GET /teams/exports?token=<128-bit random>, a capability link shown only to the asker (a
 * user-specific view), valid for one hour. Kept in memory, at most MAX_FILES and MAX_BYTES: an export is
 * recomputed in milliseconds from the store, so one lost with a restart is asked for again, not lost.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CsvExport } from '../../src/commands/csv.ts';

export const EXPORT_PATH = '/teams/exports';
const TTL_MS = 3_600_000;
const MAX_FILES = 50;
const MAX_BYTES = 100 * 1024 * 1024;

/** what is served: the file and what its link card says */
type Download = Pick<CsvExport, 'csv' | 'filename' | 'rows' | 'title'>;

interface CsvFile extends Download {
  /** UTF-8 bytes of `csv`, what the size cap counts */
  bytes: number;
  expiresAt: number;
}

export class CsvExports {
  private readonly files = new Map<string, CsvFile>();
  /**
   * In a channel the answer card travels to every member's client, even where only the asker sees its
   * user-specific view: it carries a view id, never the download token. The token is handed out for a
   * view only to its owner (the asker's Teams id, which Bot Framework authenticates).
   */
  private readonly views = new Map<string, { token: string; owner: string }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** keeps a CSV for an hour; resolves with its token */
  add(file: Download): string {
    this.prune();
    const token = randomBytes(16).toString('base64url');
    this.files.set(token, { ...file, bytes: Buffer.byteLength(file.csv), expiresAt: this.now() + TTL_MS });
    // oldest first out, by count and by size
    let bytes = [...this.files.values()].reduce((n, f) => n + f.bytes, 0);
    for (const [t, f] of this.files) {
      if (this.files.size <= MAX_FILES && bytes <= MAX_BYTES) break;
      if (t === token) break;
      this.files.delete(t);
      bytes -= f.bytes;
    }
    return token;
  }

  /** a view id of the export that only `owner` can turn into the download token */
  viewFor(token: string, owner: string): string {
    const view = randomBytes(16).toString('base64url');
    this.views.set(view, { token, owner });
    return view;
  }

  /** the download token behind a view, for its owner; undefined for anyone else or once expired */
  tokenOf(view: string, userId: string | undefined): string | undefined {
    const v = this.views.get(view);
    return v && userId === v.owner && this.get(v.token) ? v.token : undefined;
  }

  get(token: string): CsvFile | undefined {
    const f = this.files.get(token);
    if (!f || f.expiresAt <= this.now()) return undefined;
    return f;
  }

  /** the HTTP route: the CSV as a download, or 404 for an unknown or expired token */
  readonly route = (req: IncomingMessage, res: ServerResponse): void => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
    const f = /^[A-Za-z0-9_-]{22}$/.test(token) ? this.get(token) : undefined;
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('This export link is unknown or older than an hour. Run the export again in Teams.\n');
      return;
    }
    const body = Buffer.from(f.csv, 'utf8');
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${f.filename.replace(/[^\w.-]/g, '_')}"`,
      'content-length': body.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  private prune(): void {
    const now = this.now();
    for (const [t, f] of this.files) if (f.expiresAt <= now) this.files.delete(t);
    for (const [v, { token }] of this.views) if (!this.files.has(token)) this.views.delete(v);
  }
}

/**
 * The bot's public base URL, from the request Teams sent to the messaging endpoint (Azure posts to the
 * URL configured there). Behind a TLS-terminating proxy X-Forwarded-Proto/Host say it; otherwise https,
 * except for a local address (tests, the Bot Framework Emulator), which is plain http.
 */
export function publicBaseUrl(req: IncomingMessage): string {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim() || undefined;
  const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host) ?? 'localhost';
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host);
  const proto = first(req.headers['x-forwarded-proto']) ?? (local ? 'http' : 'https');
  return `${proto === 'http' ? 'http' : 'https'}://${host}`;
}

/** the path and query of an export's download link */
export function exportPath(token: string): string {
  return `${EXPORT_PATH}?token=${encodeURIComponent(token)}`;
}
