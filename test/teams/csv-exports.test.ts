/**
 * `oig export …` files in Teams (csv-exports.ts, export-files.ts, pg-export-files.ts): the same rules for
 * the memory form and the PostgreSQL form, checked on both (the latter on a real server); then what only
 * PostgreSQL gives: two replicas on one database, where the link made on one is served by the other.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CsvExports, EXPORT_PATH, exportPath, publicBaseUrl } from '../../adapters/teams/csv-exports.ts';
import { MemoryExportFiles, type ExportFilesOptions } from '../../adapters/teams/export-files.ts';
import { PgExportFiles } from '../../adapters/teams/pg-export-files.ts';
import { HttpRouter } from '../../src/http/http-server.ts';
import { openDatabase, type Database } from '../../src/store/postgres/database.ts';
import { migrate } from '../../src/store/postgres/migrate.ts';
import { describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-05-02T09:30:00.000Z');
const TOKEN = /^[A-Za-z0-9_-]{22}$/;
const silent = pino({ level: 'silent' });

/** a clock the test moves */
function clock(start = T0) {
  const c = { now: start, read: () => c.now };
  return c;
}

const revokes = { csv: 'user,app\nalice@example.com,Salesforce\n', filename: 'revokes-2024-05-02.csv', rows: 1, title: 'Revokes since 7d' };

/** serves `exports` the way the bot does: through the bot's router (HEAD falls back to GET there) */
async function serve(exports: CsvExports): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = new HttpRouter(silent).add('GET', EXPORT_PATH, exports.route).createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

async function expectNotFound(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.text()).toBe('This export link is unknown or older than an hour. Run the export again in Teams.\n');
}

/** makes one CsvExports of the form under test (a fresh store for memory; the suite's database for PostgreSQL) */
type MakeExports = (o: ExportFilesOptions) => CsvExports;

/** the rules both forms keep (export-files.ts) */
function exportRules(make: () => MakeExports): void {
  it('keeps a file under a 128-bit base64url token', async () => {
    const exports = make()({ now: clock().read });
    const token = await exports.add(revokes);
    expect(token).toMatch(TOKEN);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    const file = await exports.get(token);
    expect(file).toEqual({ filename: revokes.filename, title: revokes.title, rows: 1, body: Buffer.from(revokes.csv), expiresAt: T0 + HOUR });
    expect(await exports.get('A'.repeat(22))).toBeUndefined();
  });

  it('gives every file its own token', async () => {
    const exports = make()({ now: clock().read });
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add(await exports.add(revokes));
    expect(tokens.size).toBe(20);
  });

  it('forgets a file after one hour', async () => {
    const c = clock();
    const exports = make()({ now: c.read });
    const token = await exports.add(revokes);
    c.now = T0 + HOUR - 1;
    expect((await exports.get(token))?.title).toBe('Revokes since 7d');
    c.now = T0 + HOUR;
    expect(await exports.get(token)).toBeUndefined();
  });

  it('keeps at most 50 files: the oldest goes first', async () => {
    const exports = make()({ now: clock().read });
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push(await exports.add({ ...revokes, title: `export ${i}` }));
    for (const t of tokens) expect(await exports.get(t)).toBeDefined();
    const newest = await exports.add({ ...revokes, title: 'export 50' });
    expect(await exports.get(tokens[0]!)).toBeUndefined();
    expect((await exports.get(tokens[1]!))?.title).toBe('export 1');
    expect((await exports.get(newest))?.title).toBe('export 50');
    await exports.add({ ...revokes, title: 'export 51' });
    expect(await exports.get(tokens[1]!)).toBeUndefined();
    expect((await exports.get(tokens[2]!))?.title).toBe('export 2');
  });

  it('keeps at most the byte cap: the oldest goes first, the newest stays even alone over the cap', async () => {
    const exports = make()({ now: clock().read, limits: { maxFiles: 50, maxBytes: 1000 } });
    const first = await exports.add({ ...revokes, csv: 'x'.repeat(600), title: 'first' });
    const small = await exports.add({ ...revokes, csv: 'é'.repeat(100), title: 'small' });
    // 600 + 200 (é is two bytes) + 600 > 1000: only the first has to go
    const second = await exports.add({ ...revokes, csv: 'x'.repeat(600), title: 'second' });
    expect(await exports.get(first)).toBeUndefined();
    expect((await exports.get(small))?.title).toBe('small');
    expect((await exports.get(second))?.title).toBe('second');
    const huge = await exports.add({ ...revokes, csv: 'x'.repeat(1500), title: 'huge' });
    expect(await exports.get(small)).toBeUndefined();
    expect(await exports.get(second)).toBeUndefined();
    expect((await exports.get(huge))?.body.length).toBe(1500);
  });

  it('gives a view\'s token to its owner only, and not after the export expired', async () => {
    const c = clock();
    const exports = make()({ now: c.read });
    const token = await exports.add(revokes);
    const view = await exports.viewFor(token, '29:alice');
    expect(view).toMatch(TOKEN);
    expect(view).not.toBe(token);
    expect(await exports.linkOf(view, '29:alice')).toEqual({ token, title: revokes.title, rows: 1 });
    expect(await exports.linkOf(view, '29:bob')).toBeUndefined();
    expect(await exports.linkOf(view, undefined)).toBeUndefined();
    expect(await exports.linkOf('A'.repeat(22), '29:alice')).toBeUndefined();
    c.now += HOUR;
    expect(await exports.linkOf(view, '29:alice')).toBeUndefined();
  });

  it('a view of a file the cap dropped (or that never was) resolves to nothing', async () => {
    const exports = make()({ now: clock().read, limits: { maxFiles: 1, maxBytes: 1000 } });
    const old = await exports.add(revokes);
    const view = await exports.viewFor(old, '29:alice');
    await exports.add(revokes);
    expect(await exports.linkOf(view, '29:alice')).toBeUndefined();
    const never = await exports.viewFor('B'.repeat(22), '29:alice');
    expect(await exports.linkOf(never, '29:alice')).toBeUndefined();
  });

  describe('the route', () => {
    const c = clock();
    let exports: CsvExports;
    let http: Awaited<ReturnType<typeof serve>>;

    beforeAll(async () => {
      exports = make()({ now: c.read });
      http = await serve(exports);
    });
    afterAll(() => http.close());

    it('serves the CSV as a download that is not cached', async () => {
      const csv = 'user,app\nrené@example.com,Salesforce\n';
      const token = await exports.add({ csv, filename: 'revokes "since" 7d/é.csv', rows: 1, title: 'Revokes' });
      const res = await fetch(`${http.base}${exportPath(token)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="revokes__since__7d__.csv"');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(csv, 'utf8')));
      expect(await res.text()).toBe(csv);
    });

    it('answers HEAD with the headers and no body', async () => {
      const token = await exports.add(revokes);
      const res = await fetch(`${http.base}${exportPath(token)}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(revokes.csv.length));
      expect(await res.text()).toBe('');
    });

    it('answers 404 without a token, for an unknown one and for a malformed one, even a prefix or extension of a real one', async () => {
      await expectNotFound(`${http.base}${EXPORT_PATH}`);
      await expectNotFound(`${http.base}${EXPORT_PATH}?token=`);
      await expectNotFound(`${http.base}${exportPath('A'.repeat(22))}`);
      const token = await exports.add(revokes);
      await expectNotFound(`${http.base}${exportPath('short')}`);
      await expectNotFound(`${http.base}${exportPath(token.slice(0, 21))}`);
      await expectNotFound(`${http.base}${exportPath(`${token}A`)}`);
      await expectNotFound(`${http.base}${exportPath(`${token.slice(0, 21)}+`)}`);
      await expectNotFound(`${http.base}${EXPORT_PATH}?token=${token.slice(0, 21)}%2F`);
    });

    it('answers 404 once the file is older than an hour', async () => {
      const token = await exports.add(revokes);
      expect((await fetch(`${http.base}${exportPath(token)}`)).status).toBe(200);
      c.now += HOUR;
      await expectNotFound(`${http.base}${exportPath(token)}`);
    });
  });
}

describe('CsvExports in memory', () => {
  exportRules(() => (o) => new CsvExports(new MemoryExportFiles(o)));

  it('keeps at most 100 MiB by default: the oldest goes first, the newest stays', async () => {
    const exports = new CsvExports(new MemoryExportFiles({ now: clock().read }));
    const big = 'x'.repeat(60 * 1024 * 1024);
    const first = await exports.add({ ...revokes, csv: big, title: 'first' });
    const small = await exports.add({ ...revokes, title: 'small' });
    const second = await exports.add({ ...revokes, csv: big, title: 'second' });
    expect(await exports.get(first)).toBeUndefined();
    expect((await exports.get(small))?.title).toBe('small');
    expect((await exports.get(second))?.title).toBe('second');
  });
});

describePg('CsvExports in PostgreSQL', () => {
  let fresh: FreshDatabase;
  let db: Database;

  beforeAll(async () => {
    fresh = await freshDatabase();
    db = await openDatabase(fresh.url, { max: 6 });
    await migrate(db);
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE csv_exports CASCADE');
  });
  afterAll(async () => {
    await db?.close();
    await fresh?.drop();
  });

  const count = async (table = 'csv_exports') => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const onDb = (o: ExportFilesOptions) => new CsvExports(new PgExportFiles({ database: db, log: silent, ...o }));

  exportRules(() => onDb);

  it('deletes expired files (and their views) when a file is added', async () => {
    const c = clock();
    const exports = onDb({ now: c.read });
    for (let i = 0; i < 3; i++) await exports.viewFor(await exports.add(revokes), '29:alice');
    expect(await count()).toBe(3);
    expect(await count('csv_export_views')).toBe(3);
    c.now += HOUR;
    await exports.add(revokes);
    expect(await count()).toBe(1);
    expect(await count('csv_export_views')).toBe(0);
  });

  describe('two replicas on one database', () => {
    let http: Awaited<ReturnType<typeof serve>> | undefined;
    afterEach(async () => {
      await http?.close();
      http = undefined;
    });

    it('an export made on one is downloaded from the other, GET and HEAD', async () => {
      const a = onDb({});
      const b = onDb({});
      http = await serve(b);
      const csv = 'principal,app\nJane Doe,Salesforce\n';
      const token = await a.add({ ...revokes, csv });
      const res = await fetch(`${http.base}${exportPath(token)}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(csv);
      const head = await fetch(`${http.base}${exportPath(token)}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(csv.length));
    });

    it('a view made on one is turned into the link on the other, for its owner only', async () => {
      const a = onDb({});
      const b = onDb({});
      const token = await a.add(revokes);
      const view = await a.viewFor(token, '29:alice');
      expect(await b.linkOf(view, '29:alice')).toEqual({ token, title: revokes.title, rows: 1 });
      expect(await b.linkOf(view, '29:bob')).toBeUndefined();
      expect(await b.linkOf(view, undefined)).toBeUndefined();
    });

    it('expiry is the same on both: an hour after the add, neither serves it', async () => {
      const c = clock();
      const a = onDb({ now: c.read });
      const b = onDb({ now: c.read });
      const token = await a.add(revokes);
      const view = await a.viewFor(token, '29:alice');
      c.now = T0 + HOUR - 1;
      expect(await b.get(token)).toBeDefined();
      c.now = T0 + HOUR;
      expect(await b.get(token)).toBeUndefined();
      expect(await b.linkOf(view, '29:alice')).toBeUndefined();
    });

    it('the caps count both replicas\' files, also when they add at the same time', async () => {
      const limits = { maxFiles: 5, maxBytes: 1000 };
      const a = onDb({ limits });
      const b = onDb({ limits });
      const first = await a.add(revokes);
      await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).add({ ...revokes, csv: 'x'.repeat(150) })));
      expect(await count()).toBe(5);
      expect(await b.get(first)).toBeUndefined();
      // bytes: three of 300 fit, a fourth pushes the oldest out
      await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).add({ ...revokes, csv: 'y'.repeat(300) })));
      const { rows } = await db.pool.query<{ total: string; n: string }>('SELECT sum(bytes) AS total, count(*) AS n FROM csv_exports');
      expect(Number(rows[0]!.total)).toBeLessThanOrEqual(1000);
      expect(Number(rows[0]!.n)).toBe(3);
    });
  });

  it('a database that does not answer: the route says 503 with what to do, the store rejects with the same', async () => {
    const other = await freshDatabase();
    const gone = await openDatabase(other.url, { max: 2, connectTimeoutMs: 2000 });
    await migrate(gone);
    const exports = new CsvExports(new PgExportFiles({ database: gone, log: silent }));
    const token = await exports.add(revokes);
    const http = await serve(exports);
    try {
      await other.drop();
      const res = await fetch(`${http.base}${exportPath(token)}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'EXPORTS_UNAVAILABLE', message: "The export could not be read from the database (the bot's log says why). Try again in a moment." });
      await expect(exports.add(revokes)).rejects.toMatchObject({ code: 'EXPORTS_UNAVAILABLE', status: 503 });
    } finally {
      await http.close();
      await gone.close();
    }
  });
});

describe('publicBaseUrl', () => {
  const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;

  it.each<[Record<string, string | string[]>, string]>([
    [{ host: 'bot.example.com' }, 'https://bot.example.com'],
    [{ host: 'bot.example.com:8443' }, 'https://bot.example.com:8443'],
    [{ host: '127.0.0.1:3000' }, 'http://127.0.0.1:3000'],
    [{ host: 'localhost:3000' }, 'http://localhost:3000'],
    [{ host: 'LocalHost' }, 'http://LocalHost'],
    [{ host: '[::1]:3978' }, 'http://[::1]:3978'],
    // a name that merely starts like a local one is public
    [{ host: 'localhost.example.com' }, 'https://localhost.example.com'],
    [{}, 'http://localhost'],
    [{ host: 'internal:3000', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'a.example, b.example' }, 'http://a.example'],
    [{ host: '127.0.0.1:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bot.example.com' }, 'https://bot.example.com'],
    [{ host: '127.0.0.1:3000', 'x-forwarded-host': 'bot.example.com' }, 'https://bot.example.com'],
    [{ host: 'bot.example.com', 'x-forwarded-proto': 'https, http' }, 'https://bot.example.com'],
    // anything but http is https
    [{ host: '127.0.0.1:3000', 'x-forwarded-proto': 'ftp' }, 'https://127.0.0.1:3000'],
    [{ host: 'bot.example.com', 'x-forwarded-host': ['a.example', 'b.example'] }, 'https://a.example'],
    // an empty forwarded header says nothing: the Host header counts
    [{ host: 'bot.example.com', 'x-forwarded-host': '', 'x-forwarded-proto': '' }, 'https://bot.example.com'],
  ])('%j -> %s', (headers, url) => {
    expect(publicBaseUrl(req(headers))).toBe(url);
  });
});

describe('exportPath', () => {
  it('puts the token in the query of the export path', () => {
    expect(exportPath('Ab0_-cdefghijklmnopqrs')).toBe('/teams/exports?token=Ab0_-cdefghijklmnopqrs');
    expect(exportPath('a+b/c=&d')).toBe('/teams/exports?token=a%2Bb%2Fc%3D%26d');
  });
});

