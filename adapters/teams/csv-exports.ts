/**
 * `oig export …` in Teams (issue 7: "the CSV as an attachment or a download link"). A bot cannot attach a
 * file to a channel message without SharePoint/Graph permissions, so the bot serves the CSV itself from its
 * one port: GET /teams/exports?token=<128-bit random>, a capability link shown only to the asker (a
 * user-specific view), valid for one hour. The files are kept in memory, or in PostgreSQL when the bot
 * runs on it, so any replica serves the link (export-files.ts has the rules both keep).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { PgStateStore } from '../../src/store/postgres/pg-state-store.ts';
import type { StateStore } from '../../src/store/state-store.ts';
import { MemoryExportFiles, TOKEN_SHAPE, type Download, type ExportFile, type ExportFiles, type ExportLink } from './export-files.ts';
import { PgExportFiles } from './pg-export-files.ts';

export const EXPORT_PATH = '/teams/exports';

/**
 * The export files and their route. In a channel the answer card travels to every member's client, even
 * where only the asker sees its user-specific view: it carries a view id, never the download token. The
 * token is handed out for a view only to its owner (the asker's Teams id, which Bot Framework authenticates).
 */
export class CsvExports {
  constructor(private readonly files: ExportFiles = new MemoryExportFiles()) {}

  /** the bot's state decides: PostgreSQL's shared pool when the bot runs on it, memory otherwise */
  static async open(state: StateStore, log: Logger): Promise<CsvExports> {
    return new CsvExports(state instanceof PgStateStore ? new PgExportFiles({ database: await state.database(), log }) : new MemoryExportFiles());
  }

  /** keeps a CSV for an hour; resolves with its token */
  add(file: Download): Promise<string> {
    return this.files.add(file);
  }

  /** a view id of the export that only `owner` can turn into the download token */
  viewFor(token: string, owner: string): Promise<string> {
    return this.files.viewFor(token, owner);
  }

  /** the link behind a view, for its owner; undefined for anyone else or once expired */
  linkOf(view: string, userId: string | undefined): Promise<ExportLink | undefined> {
    return this.files.linkOf(view, userId);
  }

  get(token: string): Promise<ExportFile | undefined> {
    return this.files.get(token);
  }

  /** the HTTP route: the CSV as a download, or 404 for an unknown or expired token */
  readonly route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
    const f = TOKEN_SHAPE.test(token) ? await this.get(token) : undefined;
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('This export link is unknown or older than an hour. Run the export again in Teams.\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${f.filename.replace(/[^\w.-]/g, '_')}"`,
      'content-length': f.body.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : f.body);
  };
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
