/**
 * DATA_DIR/oig.sock as the composed bot serves it (src/compose.ts → socket-server.ts): malformed,
 * oversized, half-closed and concurrent requests; removed at stop; never a reason for the bot not to start
 * (a file in its place, a path too long for a socket address, DATABASE_URL); and the CLI's answer when the
 * bot goes away in the middle of its reply.
 */
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { OigReply } from '../../src/tools/oig/answer-reply.ts';
import { MAX_SOCKET_PATH, OigSocketServer, socketPath, socketUnusable } from '../../src/tools/oig/socket-server.ts';
import { startComposedBot, type ComposedBot } from '../helpers/composed-bot.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { runOig } from '../helpers/oig-cli.ts';
import { postHook } from '../helpers/start-bot.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function composed(dataDir?: string): Promise<ComposedBot> {
  const bot = await startComposedBot({}, dataDir ? { dataDir } : {});
  cleanup.push(() => bot.stop(true));
  return bot;
}

/** sends `payload` as it is, half-closes unless told not to, and resolves with the whole reply */
function raw(file: string, payload: string, halfClose = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(file, () => (halfClose ? conn.end(payload) : conn.write(payload)));
    let text = '';
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => (text += d));
    conn.on('close', () => resolve(text));
    conn.on('error', reject);
  });
}

const parse = (text: string): OigReply => JSON.parse(text) as OigReply;

describe('the oig socket of the running bot', () => {
  it('answers each request once and refuses malformed ones with a reason, not a crash', async () => {
    const bot = await composed();
    expect((await postHook(bot.url, envelope([decideEvent({ decision: 'REVOKE' })]))).status).toBe(200);
    await bot.app.bot.idle();
    const file = socketPath(bot.dataDir);
    const refused = async (payload: string, why: RegExp) => {
      const reply = parse(await raw(file, payload));
      expect(reply.kind, payload.slice(0, 40)).toBe('error');
      expect(reply.kind === 'error' && reply.message).toMatch(why);
    };
    await refused('not json\n', /not JSON/);
    await refused('[1,2]\n', /JSON object/);
    await refused('{"words":5}\n', /"words" must be a string/);
    await refused(`{"words":"${'x'.repeat(2_001)}"}\n`, /longer than 2000 characters/);
    await refused('{"words":"skipped","page":-1}\n', /"page"/);
    await refused('{"words":"skipped","csv":"yes"}\n', /"csv"/);
    // more than 8 KiB without a line break: answered at once, not read on for ever
    await refused(`{"words":"${'y'.repeat(10_000)}`, /longer than 8192 bytes/);
    // a request ended by half-closing, without a line break
    const halfClosed = parse(await raw(file, '{"words":"revokes"}'));
    expect(halfClosed.kind === 'answer' && halfClosed.countLine).toBe('1 matched');
    // the same question five times at once: five whole answers
    const replies = await Promise.all(Array.from({ length: 5 }, () => raw(file, '{"words":"stats"}\n').then(parse)));
    expect(replies.map((r) => r.kind === 'answer' && r.title)).toEqual(Array(5).fill('Bot status'));
    // an export: the engine's CSV
    const csv = parse(await raw(file, '{"words":"revokes","csv":true}\n'));
    expect(csv.kind === 'csv' && csv.export.rows).toBe(1);
  }, 30_000);

  it('closes a connection that sends nothing within 5 s', async () => {
    const bot = await composed();
    const started = Date.now();
    expect(await raw(socketPath(bot.dataDir), '{"words":', false)).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  }, 15_000);

  it('is removed at stop', async () => {
    const bot = await startComposedBot({});
    cleanup.push(() => rm(bot.dataDir, { recursive: true, force: true }));
    const file = socketPath(bot.dataDir);
    expect((await lstat(file)).isSocket()).toBe(true);
    await bot.stop();
    await expect(lstat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);

  it('never keeps the bot from starting: a file in its place is left alone, a path too long gets no socket', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oig-sock-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const occupied = path.join(dir, 'occupied');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'oig.sock'), 'mine');
    const first = await composed(occupied);
    expect(await readFile(path.join(first.dataDir, 'oig.sock'), 'utf8')).toBe('mine');

    const long = path.join(dir, 'x'.repeat(Math.max(1, MAX_SOCKET_PATH - dir.length)));
    expect(socketUnusable(socketPath(long))).toMatch(/longer than a socket address holds/);
    const second = await composed(long);
    // Node would have bound a truncated path: nothing is made, in the folder or beside it
    await expect(lstat(socketPath(long))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await postHook(second.url, envelope([decideEvent({})]))).status).toBe(200);
  }, 30_000);

  it('is not made with DATABASE_URL (replicas keep nothing in DATA_DIR)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oig-sock-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const server = new OigSocketServer({ dataDir: dir, databaseUrl: 'postgres://127.0.0.1:1/none' }, { store: undefined as never }, pino({ level: 'silent' }));
    await server.start();
    await expect(lstat(socketPath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    await server.stop();
  });
});

describe('npm run oig when the bot goes away in the middle of its answer', () => {
  it('says so and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oig-dies-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    // a bot that has begun its answer when it dies: half a reply, then the connection closes
    const dying = net.createServer((conn) => conn.once('data', () => conn.end('{"kind":"answer","title":"Open manual-rem')));
    await new Promise<void>((resolve) => dying.listen(socketPath(dir), () => resolve()));
    cleanup.push(() => new Promise((resolve) => dying.close(resolve)));
    const r = await runOig(['skipped'], { env: { DATA_DIR: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the bot closed the connection before its answer was complete: did it stop? Ask again.');
    expect(r.stdout).toBe('');
  }, 30_000);
});
