/**
 * Where the CSV files of `oig export …` in Teams wait for their download (csv-exports.ts serves them): in
 * this process's memory (one process on DATA_DIR), or in PostgreSQL (pg-export-files.ts, with
 * DATABASE_URL) so that the link works on whichever replica the load balancer picks. Both forms keep the
 * same rules:
 *   - a file is fetched with a 128-bit random token, for one hour;
 *   - a channel message carries a view id instead of the token: only the view's owner gets the token;
 *   - at most MAX_EXPORT_FILES files and MAX_EXPORT_BYTES bytes, the oldest go first, the newest stays.
 * An export is recomputed in milliseconds from the store, so one dropped by a cap or a restart is asked
 * for again, not lost.
 */
import { randomBytes } from 'node:crypto';
import type { CsvExport } from '../../src/commands/csv.ts';

export const EXPORT_TTL_MS = 3_600_000;
export const MAX_EXPORT_FILES = 50;
export const MAX_EXPORT_BYTES = 100 * 1024 * 1024;

/** what the bot hands in: the file and what its link card says */
export type Download = Pick<CsvExport, 'csv' | 'filename' | 'rows' | 'title'>;

/** a file as served: the CSV as UTF-8 bytes */
export interface ExportFile {
  filename: string;
  title: string;
  rows: number;
  body: Buffer;
  /** epoch ms; the file is gone from then on */
  expiresAt: number;
}

/** what the asker's view of a channel answer needs: the token for the link and what the card says */
export interface ExportLink {
  token: string;
  title: string;
  rows: number;
}

export interface ExportLimits {
  maxFiles: number;
  maxBytes: number;
}

export const EXPORT_LIMITS: ExportLimits = { maxFiles: MAX_EXPORT_FILES, maxBytes: MAX_EXPORT_BYTES };

export interface ExportFiles {
  /** keeps the file for an hour; resolves with its download token once any replica can serve it */
  add(file: Download): Promise<string>;
  /** a view id of the export that only `owner` (a Teams user id) can turn into the download token */
  viewFor(token: string, owner: string): Promise<string>;
  /** the link behind a view, for its owner only; undefined for anyone else, an unknown view or once expired */
  linkOf(view: string, userId: string | undefined): Promise<ExportLink | undefined>;
  /** the file behind a token; undefined when unknown or expired */
  get(token: string): Promise<ExportFile | undefined>;
}

/** what tokens and view ids look like: 16 random bytes in base64url */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

export interface ExportFilesOptions {
  /** the clock (tests move it) */
  now?: () => number;
  /** the caps (tests make them small); default EXPORT_LIMITS */
  limits?: ExportLimits;
}

interface Kept extends ExportFile {
  token: string;
}

/** the files in this process's memory: enough for the one process that holds DATA_DIR */
export class MemoryExportFiles implements ExportFiles {
  /** insertion order is age order: the cap drops from the front */
  private readonly files = new Map<string, Kept>();
  private readonly views = new Map<string, { token: string; owner: string }>();
  private readonly now: () => number;
  private readonly limits: ExportLimits;

  constructor(o: ExportFilesOptions = {}) {
    this.now = o.now ?? Date.now;
    this.limits = o.limits ?? EXPORT_LIMITS;
  }

  async add(file: Download): Promise<string> {
    this.prune();
    const token = newToken();
    const { filename, title, rows } = file;
    this.files.set(token, { token, filename, title, rows, body: Buffer.from(file.csv, 'utf8'), expiresAt: this.now() + EXPORT_TTL_MS });
    let bytes = [...this.files.values()].reduce((n, f) => n + f.body.length, 0);
    for (const [t, f] of this.files) {
      if (this.files.size <= this.limits.maxFiles && bytes <= this.limits.maxBytes) break;
      if (t === token) break;
      this.files.delete(t);
      bytes -= f.body.length;
    }
    this.dropOrphanViews();
    return token;
  }

  async viewFor(token: string, owner: string): Promise<string> {
    const view = newToken();
    if (this.files.has(token)) this.views.set(view, { token, owner });
    return view;
  }

  async linkOf(view: string, userId: string | undefined): Promise<ExportLink | undefined> {
    const v = this.views.get(view);
    if (!v || userId === undefined || userId !== v.owner) return undefined;
    const f = this.live(v.token);
    return f && { token: f.token, title: f.title, rows: f.rows };
  }

  async get(token: string): Promise<ExportFile | undefined> {
    const f = this.live(token);
    return f && { filename: f.filename, title: f.title, rows: f.rows, body: f.body, expiresAt: f.expiresAt };
  }

  private live(token: string): Kept | undefined {
    const f = this.files.get(token);
    return f && f.expiresAt > this.now() ? f : undefined;
  }

  private prune(): void {
    const now = this.now();
    for (const [t, f] of this.files) if (f.expiresAt <= now) this.files.delete(t);
  }

  private dropOrphanViews(): void {
    for (const [v, { token }] of this.views) if (!this.files.has(token)) this.views.delete(v);
  }
}
