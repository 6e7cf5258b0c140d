/**
 * openDatabase against real servers: what a user reads when DATABASE_URL is wrong (one line naming what is
 * wrong, never the password), and a pool that survives its idle connections being killed. The unreachable,
 * silent and SSL-only servers are local sockets on 127.0.0.1; the rest is the test run's PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { openDatabase } from '../../src/store/postgres/database.ts';
import { asAdmin, describePg, freshDatabase, pgServerUrl, type FreshDatabase } from '../helpers/postgres.ts';

const PASSWORD = `Pw-${randomBytes(6).toString('hex')}`;

async function refusal(url: string, o: { connectTimeoutMs?: number } = {}): Promise<AppError> {
  const err = await openDatabase(url, o).then(
    (db) => db.close().then(() => new Error('connected')),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.message).not.toContain('\n');
  return e;
}

function listen(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    }),
  );
}

/** a backend ErrorResponse message (protocol 3): severity, SQLSTATE, text */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[['S', 'FATAL'], ['V', 'FATAL'], ['C', code], ['M', message]].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

describe('openDatabase: servers that cannot be used', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('a closed port: connection refused at host:port, the password not quoted', async () => {
    const { server, port } = await listen(() => undefined);
    await new Promise((r) => server.close(r));
    const e = await refusal(`postgres://bot:${PASSWORD}@127.0.0.1:${port}/oig`);
    expect(e.code).toBe('DATABASE_UNREACHABLE');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).toContain('connection refused');
    expect(e.message).not.toContain(PASSWORD);
  });

  it('a unix socket folder with no server in it', async () => {
    const e = await refusal(`postgres://bot:${PASSWORD}@localhost/oig?host=/nonexistent-socket-dir`);
    expect(e.code).toBe('DATABASE_UNREACHABLE');
    expect(e.message).toContain('PostgreSQL at /nonexistent-socket-dir (unix socket, port 5432): no server socket there');
  });

  it('a host that does not resolve is named', async () => {
    const e = await refusal(`postgres://bot:${PASSWORD}@no-such-host.invalid:5432/oig`);
    expect(e.code).toBe('DATABASE_UNREACHABLE');
    expect(e.message).toContain('host "no-such-host.invalid" not found');
  });

  it('a server that never answers: a timeout, not a hang', async () => {
    const { server, port } = await listen(() => undefined);
    servers.push(server);
    const started = Date.now();
    const e = await refusal(`postgres://bot:${PASSWORD}@127.0.0.1:${port}/oig`, { connectTimeoutMs: 300 });
    expect(e.code).toBe('DATABASE_TIMEOUT');
    expect(e.message).toContain('did not answer within 0.3 s');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that accepts this user only over SSL says to turn SSL on', async () => {
    // what PostgreSQL answers a plain connection when pg_hba.conf has only hostssl lines for it
    const said = 'no pg_hba.conf entry for host "127.0.0.1", user "bot", database "oig", no encryption';
    const { server, port } = await listen((s) => s.once('data', () => s.end(errorResponse('28000', said))));
    servers.push(server);
    const e = await refusal(`postgres://bot:${PASSWORD}@127.0.0.1:${port}/oig`);
    expect(e.code).toBe('DATABASE_SSL');
    expect(e.message).toContain('only over SSL');
    expect(e.message).toContain('sslmode=verify-full');
  });

  it('other server refusals are quoted with their SQLSTATE, the password scrubbed should the server echo it', async () => {
    const { server, port } = await listen((s) => s.once('data', () => s.end(errorResponse('XX000', `odd failure near ${PASSWORD}`))));
    servers.push(server);
    const e = await refusal(`postgres://bot:${PASSWORD}@127.0.0.1:${port}/oig`);
    expect(e.code).toBe('DATABASE_CONNECT');
    expect(e.message).toContain('odd failure near ***');
    expect(e.message).toContain('(XX000)');
    expect(e.message).not.toContain(PASSWORD);
  });
});

describePg('openDatabase against the test PostgreSQL server', () => {
  const role = `oig_t_role_${randomBytes(4).toString('hex')}`;
  let db: FreshDatabase;
  let checksPasswords = false;
  const asRole = (password: string | undefined, database = new URL(db.url).pathname.slice(1)) => {
    const u = new URL(pgServerUrl);
    u.username = role;
    u.password = password ?? '';
    u.pathname = `/${database}`;
    return u.toString();
  };

  beforeAll(async () => {
    db = await freshDatabase();
    await asAdmin((c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`));
    // a server that trusts every local connection (some developers' own) cannot fail a password
    checksPasswords = await openDatabase(asRole('not-the-password')).then(
      (d) => d.close().then(() => false),
      () => true,
    );
  });
  afterAll(async () => {
    await db?.drop();
    await asAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('a wrong password: authentication failed for the user, neither password quoted', async (ctx) => {
    if (!checksPasswords) ctx.skip();
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
    const e = await refusal(asRole(wrong));
    expect(e.code).toBe('DATABASE_AUTH');
    expect(e.message).toContain(`refused user "${role}": password authentication failed`);
    expect(e.message).not.toContain(wrong);
    expect(e.message).not.toContain(PASSWORD);
  });

  it('no password where the server asks for one', async (ctx) => {
    if (!checksPasswords) ctx.skip();
    const e = await refusal(asRole(undefined));
    expect(e.code).toBe('DATABASE_AUTH');
    expect(e.message).toContain(`asks user "${role}" for a password and DATABASE_URL has none`);
  });

  it('a database that does not exist: named, with what to do', async () => {
    const missing = `oig_t_missing_${randomBytes(4).toString('hex')}`;
    const e = await refusal(asRole(PASSWORD, missing));
    expect(e.code).toBe('DATABASE_MISSING');
    expect(e.message).toContain(`database "${missing}" does not exist`);
    expect(e.message).toContain('create it');
    expect(e.message).not.toContain(PASSWORD);
  });

  it('SSL asked of a server without it says so', async () => {
    const e = await refusal(`${asRole(PASSWORD)}?sslmode=verify-full`);
    expect(e.code).toBe('DATABASE_SSL');
    expect(e.message).toContain('does not offer SSL');
  });

  describe('an open database', () => {
    const lines: Array<{ msg: string; code?: string; err?: string }> = [];
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    afterEach(() => void lines.splice(0));

    it('answers queries as the user of DATABASE_URL, named in pg_stat_activity', async () => {
      const open = await openDatabase(asRole(PASSWORD), { log, applicationName: 'oig-test-app' });
      try {
        const r = await open.pool.query<{ user: string; app: string }>('SELECT current_user AS user, current_setting($1) AS app', ['application_name']);
        expect(r.rows[0]).toEqual({ user: role, app: 'oig-test-app' });
        expect(lines.map((l) => l.msg)).toContain('connected to PostgreSQL');
        expect(JSON.stringify(lines)).not.toContain(PASSWORD);
      } finally {
        await open.close();
        await open.close();
      }
    });

    it('an idle connection killed by the server is logged, not thrown, and the pool goes on', async () => {
      const open = await openDatabase(asRole(PASSWORD), { log });
      try {
        const pid = (await open.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        expect(open.pool.idleCount).toBe(1);
        await asAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
        await expect.poll(() => lines.find((l) => /failed while idle/.test(l.msg)), { timeout: 5_000 }).toBeTruthy();
        expect(lines.find((l) => /failed while idle/.test(l.msg))?.code).toBe('57P01');
        const again = await open.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        expect(again.rows[0]!.pid).not.toBe(pid);
      } finally {
        await open.close();
      }
    });
  });
});
