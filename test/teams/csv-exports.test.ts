import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvExports, EXPORT_PATH, exportPath, publicBaseUrl } from '../../adapters/teams/csv-exports.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-05-02T09:30:00.000Z');
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** a clock the test moves */
function clock(start = T0) {
  const c = { now: start, read: () => c.now };
  return c;
}

const revokes = { csv: 'user,app\nalice@example.com,Salesforce\n', filename: 'revokes-2024-05-02.csv', rows: 1, title: 'Revokes since 7d' };

describe('CsvExports', () => {
  it('keeps a file under a 128-bit base64url token', () => {
    const exports = new CsvExports(clock().read);
    const token = exports.add(revokes);
    expect(token).toMatch(TOKEN);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    expect(exports.get(token)).toEqual({ ...revokes, bytes: Buffer.byteLength(revokes.csv), expiresAt: T0 + HOUR });
    expect(exports.get('A'.repeat(22))).toBeUndefined();
  });

  it('gives every file its own token', () => {
    const exports = new CsvExports(clock().read);
    const tokens = new Set(Array.from({ length: 20 }, () => exports.add(revokes)));
    expect(tokens.size).toBe(20);
  });

  it('forgets a file after one hour', () => {
    const c = clock();
    const exports = new CsvExports(c.read);
    const token = exports.add(revokes);
    c.now = T0 + HOUR - 1;
    expect(exports.get(token)?.title).toBe('Revokes since 7d');
    c.now = T0 + HOUR;
    expect(exports.get(token)).toBeUndefined();
  });

  it('keeps at most 50 files: the oldest goes first', () => {
    const exports = new CsvExports(clock().read);
    const tokens = Array.from({ length: 50 }, (_, i) => exports.add({ ...revokes, title: `export ${i}` }));
    expect(tokens.every((t) => exports.get(t) !== undefined)).toBe(true);
    const newest = exports.add({ ...revokes, title: 'export 50' });
    expect(exports.get(tokens[0]!)).toBeUndefined();
    expect(exports.get(tokens[1]!)?.title).toBe('export 1');
    expect(exports.get(newest)?.title).toBe('export 50');
    exports.add({ ...revokes, title: 'export 51' });
    expect(exports.get(tokens[1]!)).toBeUndefined();
    expect(exports.get(tokens[2]!)?.title).toBe('export 2');
  });

  it('keeps at most 100 MiB: the oldest goes first, the newest stays', () => {
    const exports = new CsvExports(clock().read);
    const big = 'x'.repeat(60 * 1024 * 1024);
    const first = exports.add({ ...revokes, csv: big, title: 'first' });
    const small = exports.add({ ...revokes, title: 'small' });
    const second = exports.add({ ...revokes, csv: big, title: 'second' });
    expect(exports.get(first)).toBeUndefined();
    expect(exports.get(small)?.title).toBe('small');
    expect(exports.get(second)?.title).toBe('second');
  });
});

describe('CsvExports.route', () => {
  const c = clock();
  const exports = new CsvExports(c.read);
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(exports.route);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  async function expectNotFound(path: string): Promise<void> {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('This export link is unknown or older than an hour. Run the export again in Teams.\n');
  }

  it('serves the CSV as a download that is not cached', async () => {
    const csv = 'user,app\nrené@example.com,Salesforce\n';
    const token = exports.add({ csv, filename: 'revokes "since" 7d/é.csv', rows: 1, title: 'Revokes' });
    const res = await fetch(`${base}${exportPath(token)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="revokes__since__7d__.csv"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(csv, 'utf8')));
    expect(await res.text()).toBe(csv);
  });

  it('answers HEAD with the headers and no body', async () => {
    const token = exports.add(revokes);
    const res = await fetch(`${base}${exportPath(token)}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(revokes.csv.length));
    expect(await res.text()).toBe('');
  });

  it('answers 404 without a token', async () => {
    await expectNotFound(EXPORT_PATH);
    await expectNotFound(`${EXPORT_PATH}?token=`);
  });

  it('answers 404 for an unknown token', async () => {
    await expectNotFound(exportPath('A'.repeat(22)));
  });

  it('answers 404 for a malformed token, even a prefix or extension of a real one', async () => {
    const token = exports.add(revokes);
    await expectNotFound(exportPath('short'));
    await expectNotFound(exportPath(token.slice(0, 21)));
    await expectNotFound(exportPath(`${token}A`));
    await expectNotFound(exportPath(`${token.slice(0, 21)}+`));
    await expectNotFound(`${EXPORT_PATH}?token=${token.slice(0, 21)}%2F`);
  });

  it('answers 404 once the file is older than an hour', async () => {
    const token = exports.add(revokes);
    expect((await fetch(`${base}${exportPath(token)}`)).status).toBe(200);
    c.now += HOUR;
    await expectNotFound(exportPath(token));
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

describe('CsvExports views (what a channel message carries instead of the token)', () => {
  it('gives the token to the view\'s owner only, and not after the export expired', () => {
    const c = clock();
    const exports = new CsvExports(c.read);
    const token = exports.add(revokes);
    const view = exports.viewFor(token, '29:alice');
    expect(view).toMatch(TOKEN);
    expect(view).not.toBe(token);
    expect(exports.tokenOf(view, '29:alice')).toBe(token);
    expect(exports.tokenOf(view, '29:bob')).toBeUndefined();
    expect(exports.tokenOf(view, undefined)).toBeUndefined();
    expect(exports.tokenOf('A'.repeat(22), '29:alice')).toBeUndefined();
    c.now += HOUR;
    expect(exports.tokenOf(view, '29:alice')).toBeUndefined();
  });
});
