/**
 * vitest globalSetup: a PostgreSQL server for the PostgreSQL suites (issue 13 item 5), so `npm test` on a
 * machine with Debian's PostgreSQL runs them with no setup at all.
 *
 *   - DATABASE_URL set (CI's .ci/run starts its own cluster and sets it): that server is used as it is.
 *   - Otherwise, when /usr/lib/postgresql/<version>/bin/initdb exists, a throw-away cluster is made in a
 *     temp folder: initdb as the postgres user (PostgreSQL refuses to run as root), a free port on
 *     127.0.0.1, its unix socket in the temp folder (not /var/run/postgresql, which may be another's),
 *     fsync off. Local (socket) connections are trusted; TCP ones need the generated password, so the
 *     tests go through real SCRAM authentication. Stopped and removed at teardown; a run killed before
 *     its teardown (a timeout's SIGTERM, kill -9) leaves its cluster behind, and the next run stops and
 *     removes it (the folder names its owner's pid).
 *   - Neither: the suites are skipped, and this says so once.
 *
 * The URL reaches the test workers through vitest's provide/inject (test/helpers/postgres.ts reads it),
 * not an environment variable, so bot processes the other tests start never see it by accident.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** a PostgreSQL server URL whose user may CREATE DATABASE; '' when there is none */
    pgServerUrl: string;
  }
}

export const SKIP_MESSAGE = 'PostgreSQL tests skipped: set DATABASE_URL or install PostgreSQL (apt-get install -y postgresql)';

const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) {
    project.provide('pgServerUrl', process.env.DATABASE_URL);
    return undefined;
  }
  const bin = newestPostgresBin();
  if (!bin) {
    console.warn(SKIP_MESSAGE);
    project.provide('pgServerUrl', '');
    return undefined;
  }
  await sweepOrphans(bin);
  const cluster = await startCluster(bin);
  project.provide('pgServerUrl', cluster.url);
  return cluster.stop;
}

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin */
export function newestPostgresBin(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

export async function startCluster(bin: string): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), PREFIX));
  const data = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  // whose it is: a run killed before its teardown (SIGTERM, kill -9, a timeout) leaves it to the next
  await writeFile(path.join(dir, OWNER_FILE), String(process.pid));
  await writeFile(path.join(dir, 'pw'), `${password}\n`);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all([id('-u'), id('-g')]);
    chownSync(dir, uid, gid);
    chownSync(path.join(dir, 'pw'), uid, gid);
  }
  const pg = (tool: string, args: string[]) => asPostgres(bin, tool, args);
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // another process may take the free port before the server binds it: try a few
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      await appendFile(
        path.join(data, 'postgresql.conf'),
        [
          '',
          '# throw-away test cluster (test/setup/postgres-cluster.ts)',
          `port = ${port}`,
          "listen_addresses = '127.0.0.1'",
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          '',
        ].join('\n'),
      );
      try {
        await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
        return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const log = await readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`could not start a test PostgreSQL cluster with ${bin}: ${e.stderr?.trim() || e.message}${log ? `\nserver log:\n${log.slice(-2000)}` : ''}`);
  }
}

const PREFIX = 'oig-pg-';
const OWNER_FILE = 'owner.pid';
/** a folder without an owner file yet is being set up by another run, unless it is this old */
const UNCLAIMED_MS = 60 * 60_000;

/** stops and removes the clusters of test runs that died without their teardown */
export async function sweepOrphans(bin: string, parent = tmpdir()): Promise<string[]> {
  const swept: string[] = [];
  for (const name of readdirSync(parent).filter((n) => n.startsWith(PREFIX))) {
    const dir = path.join(parent, name);
    const owner = Number(await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
    const orphan = Number.isInteger(owner) ? !alive(owner) : Date.now() - (await stat(dir).then((s) => s.mtimeMs, () => Date.now())) > UNCLAIMED_MS;
    if (!orphan) continue;
    await asPostgres(bin, 'pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PostgreSQL's tools refuse to run as root: as root they run as the postgres user */
function asPostgres(bin: string, tool: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  return run(asRoot ? 'runuser' : path.join(bin, tool), asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args, { timeout: 60_000 });
}

async function id(flag: '-u' | '-g'): Promise<number> {
  return Number((await run('id', [flag, 'postgres'])).stdout.trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
