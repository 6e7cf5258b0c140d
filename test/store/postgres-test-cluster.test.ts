/**
 * The test run's throw-away cluster (test/setup/postgres-cluster.ts) cleans up after runs that were killed
 * before their teardown, and only after those: another run's live cluster is left alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sweepOrphans } from '../setup/postgres-cluster.ts';

let parent: string | undefined;
afterEach(async () => parent && rm(parent, { recursive: true, force: true }));

it('removes the folders of dead test runs, keeps live runs and folders still being set up', async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'oig-sweep-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const folder = async (name: string, owner?: string) => {
    await mkdir(path.join(parent!, name, 'data'), { recursive: true });
    if (owner !== undefined) await writeFile(path.join(parent!, name, 'owner.pid'), owner);
    return path.join(parent!, name);
  };
  const orphan = await folder('oig-pg-dead', dead);
  const live = await folder('oig-pg-live', String(process.pid));
  const starting = await folder('oig-pg-starting');
  const unrelated = await folder('something-else', dead);

  // no server runs in these folders: the stop fails quietly and the folder goes all the same
  expect(await sweepOrphans('/nonexistent/bin', parent)).toEqual([orphan]);
  expect([orphan, live, starting, unrelated].map((d) => existsSync(d))).toEqual([false, true, true, true]);
});
