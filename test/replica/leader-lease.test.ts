/**
 * LeaderLease against the test PostgreSQL server: of several leases on one database exactly one leads;
 * a release, a killed backend (pg_terminate_backend) and a kill -9 of the leading process each hand the
 * lead to another within about retryMs; the leader is found the way the header comment tells operators.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LEADER_LOCK_KEY, LEASE_APPLICATION_NAME, LeaderLease } from '../../src/replica/leader-lease.ts';
import { soleProcess } from '../../src/replica/leadership.ts';
import { asAdmin, describePg, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { freezableProxy } from './freezable-proxy.ts';
import { logLines, until } from './log-lines.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RETRY_MS = 200;
const LEADS = 'this replica leads';
const WAITS = 'another replica leads';

/** the operator's query of leader-lease.ts's header comment */
const HOLDER = `SELECT a.pid, a.application_name, l.classid, l.objid
FROM pg_locks l JOIN pg_stat_activity a USING (pid)
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = 1869178682 AND l.objid = 1818583396 AND l.objsubid = 1`;

it('the sole process leads at once and is never told of a loss', async () => {
  const sole = soleProcess();
  expect(sole.leading).toBe(true);
  expect(await sole.whenLeading()).toBe(true);
  await sole.release();
  expect(sole.leading).toBe(false);
  expect(await sole.whenLeading()).toBe(false);
});

describePg('LeaderLease', () => {
  let fresh: FreshDatabase;
  let leases: LeaderLease[];
  let children: ChildProcess[];

  beforeEach(async () => {
    fresh = await freshDatabase();
    leases = [];
    children = [];
  });
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(leases.map((l) => l.release()));
    await fresh?.drop();
  });

  const lease = (url = fresh.url) => {
    const { log, lines, said } = logLines();
    const l = new LeaderLease({ url, log, retryMs: RETRY_MS });
    leases.push(l);
    return Object.assign(l, { lines, said });
  };
  const holders = async () => {
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    try {
      return (await c.query<{ pid: number; application_name: string; classid: number; objid: number }>(HOLDER)).rows;
    } finally {
      await c.end();
    }
  };
  const leaders = (ls: LeaderLease[]) => ls.filter((l) => l.leading);

  it('of two leases exactly one leads; released, the other leads within retryMs', async () => {
    const a = lease();
    const b = lease();
    const first = await Promise.race([a.whenLeading().then(() => a), b.whenLeading().then(() => b)]);
    const other = first === a ? b : a;
    await until('the other to find the lock taken', () => other.said(WAITS) === 1);
    await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
    expect(leaders([a, b])).toEqual([first]);
    expect(first.said(LEADS)).toBe(1);
    // said once, not at every try
    expect(other.said(WAITS)).toBe(1);
    expect(other.said(LEADS)).toBe(0);

    // the header comment's query finds the leader, and its numbers are the key
    const found = await holders();
    expect(found).toHaveLength(1);
    expect(found[0]!.application_name).toBe(LEASE_APPLICATION_NAME);
    expect(((BigInt(found[0]!.classid) << 32n) | BigInt(found[0]!.objid)).toString()).toBe(LEADER_LOCK_KEY);

    const released = Date.now();
    await first.release();
    expect(first.leading).toBe(false);
    expect(await other.whenLeading()).toBe(true);
    expect(Date.now() - released).toBeLessThan(RETRY_MS + 1_000);
    expect(await first.whenLeading()).toBe(false);
  });

  it('a leader whose backend is killed is told once (onLost) and another takes the lead; it may campaign again', async () => {
    const a = lease();
    expect(await a.whenLeading()).toBe(true);
    const b = lease();
    await until('b to wait', () => b.said(WAITS) === 1);
    const reasons: string[] = [];
    a.onLost((r) => reasons.push(r));

    const [holder] = await holders();
    await asAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [holder!.pid]));
    const killed = Date.now();
    expect(await b.whenLeading()).toBe(true);
    expect(Date.now() - killed).toBeLessThan(RETRY_MS + 1_000);
    await until('a to be told', () => reasons.length > 0);
    expect(a.leading).toBe(false);
    expect(a.said('this replica lost the lead')).toBe(1);
    await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
    expect(reasons).toHaveLength(1);
    // a lost lead is not campaigned for on its own: a does not hold the lock in waiting
    expect(leaders([a, b])).toEqual([b]);

    // asked again (its leader work has stopped), a waits for the lock and takes it when b goes
    const again = a.whenLeading();
    await until('a to wait again', () => a.said(WAITS) === 1);
    await b.release();
    expect(await again).toBe(true);
    expect(a.leading).toBe(true);
  });

  it('a leader cut off silently (no answer, no error) finds out by its check within retryMs + timeoutMs', async () => {
    const proxy = await freezableProxy(fresh.url);
    try {
      const { log } = logLines();
      const a = new LeaderLease({ url: proxy.url, log, retryMs: RETRY_MS, timeoutMs: 300 });
      leases.push(a);
      expect(await a.whenLeading()).toBe(true);
      const reasons: string[] = [];
      a.onLost((r) => reasons.push(r));
      await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
      expect(a.leading).toBe(true);

      proxy.freeze();
      const frozen = Date.now();
      await until('a to be told', () => reasons.length > 0, 3_000);
      expect(Date.now() - frozen).toBeLessThan(RETRY_MS + 300 + 1_000);
      expect(reasons).toEqual([expect.stringContaining('failed a check')]);
      expect(a.leading).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('three leases started at once: one leads, the others wait', async () => {
    const ls = [lease(), lease(), lease()];
    await Promise.race(ls.map((l) => l.whenLeading()));
    await until('the others to wait', () => ls.filter((l) => l.said(WAITS) === 1).length === 2);
    await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
    expect(leaders(ls)).toHaveLength(1);
    expect(await holders()).toHaveLength(1);
  });

  it('a waiting lease whose connection is killed says so once, reconnects and still takes over', async () => {
    const a = lease();
    await a.whenLeading();
    const b = lease();
    await until('b to wait', () => b.said(WAITS) === 1);
    const [holder] = await holders();
    const killed = await asAdmin((c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND pid <> $3', [
        new URL(fresh.url).pathname.slice(1),
        LEASE_APPLICATION_NAME,
        holder!.pid,
      ]),
    );
    expect(killed.rowCount).toBe(1);
    await until('b to notice', () => b.said('cannot reach PostgreSQL') === 1);
    expect(a.leading).toBe(true);
    await a.release();
    expect(await b.whenLeading()).toBe(true);
    expect(b.said('cannot reach PostgreSQL')).toBe(1);
  });

  it('an unreachable server: said once, the password never, tried again until released', async () => {
    const port = await closedPort();
    const l = lease(`postgres://oig:sekret-pw-123@127.0.0.1:${port}/oig`);
    const pending = l.whenLeading();
    await new Promise((r) => setTimeout(r, 6 * RETRY_MS));
    expect(l.leading).toBe(false);
    const warned = l.lines.filter((x) => x.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]!.raw).toContain(`127.0.0.1:${port}`);
    expect(warned[0]!.raw).toContain('connection refused');
    expect(l.lines.map((x) => x.raw).join('\n')).not.toContain('sekret');
    await l.release();
    expect(await pending).toBe(false);
  });

  it('a process holding the lead is killed with kill -9: a lease here leads within a few seconds', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/replica/lease-holder.ts', fresh.url, String(RETRY_MS)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await until('the child to lead', () => out.includes('leading'), 15_000);

    const here = lease();
    await until('this lease to wait', () => here.said(WAITS) === 1);
    await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
    expect(here.leading).toBe(false);

    const killed = Date.now();
    child.kill('SIGKILL');
    expect(await here.whenLeading()).toBe(true);
    const ms = Date.now() - killed;
    expect(ms).toBeLessThan(3_000);
    console.log(`kill -9 of the leading process → a lease here leads after ${ms} ms (retryMs ${RETRY_MS})`);
  });
});

/** a TCP port on 127.0.0.1 where nothing listens */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
