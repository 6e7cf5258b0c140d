/**
 * Issue 14's "done when": a newcomer runs `npm run demo`, then `npm run oig -- skipped` in another terminal,
 * with no DATA_DIR anywhere, and sees the demo's open tasks. The real demo runs (src/demo.ts, kept running),
 * with its temporary folder inside this test's own TMPDIR; the CLI runs from a folder without ./data. A
 * folder that anyone may write is never taken for the demo's: another user could plant it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DEMO_DIR_PREFIX } from '../../src/tools/oig/find-demo.ts';
import { socketPath } from '../../src/tools/oig/socket-server.ts';
import { exited } from '../helpers/bot-process.ts';
import { runOig } from '../helpers/oig-cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** `npm run demo` without npm, kept running; resolves once its replay is done */
function startDemo(tmp: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, TMPDIR: tmp, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not finish its replay in time:\n${out}`)), 45_000);
    child.stdout!.on('data', () => {
      if (out.includes('The bot keeps running at')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${out}`)));
  });
}

it('npm run demo, then npm run oig -- skipped with no DATA_DIR: the demo\'s open tasks, not a planted folder\'s', async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'oig-demo-tmp-'));
  cleanup.push(() => rm(tmp, { recursive: true, force: true }));
  const elsewhere = await mkdtemp(path.join(tmpdir(), 'oig-demo-cwd-'));
  cleanup.push(() => rm(elsewhere, { recursive: true, force: true }));
  await startDemo(tmp);

  // started after the demo, so it is the newest: a folder anyone may write, with a socket that answers
  const planted = path.join(tmp, `${DEMO_DIR_PREFIX}planted`);
  await mkdir(planted);
  await chmod(planted, 0o777);
  const fake = net.createServer((conn) => conn.once('data', () => conn.end('{"kind":"answer","title":"PLANTED","countLine":"0 matched","summary":[],"columns":[],"rows":[],"usage":false,"loading":false}\n')));
  await new Promise<void>((resolve) => fake.listen(socketPath(planted), () => resolve()));
  cleanup.push(() => new Promise((resolve) => fake.close(resolve)));

  const r = await runOig(['skipped'], { cwd: elsewhere, env: { TMPDIR: tmp } });
  expect(r.code).toBe(0);
  expect(r.stdout).not.toContain('PLANTED');
  expect(r.stdout).toContain('Open manual-remediation tasks');
  // the demo's two SKIPPED remediations (src/demo/sample-events.ts)
  expect(r.stdout).toMatch(/Erin Example\s+Finance Admins/);
  expect(r.stdout).toMatch(/Frank Example\s+NetSuite/);
  expect(r.stdout).toContain('\n2 matched\n');
  expect(r.stderr).toMatch(new RegExp(`asked the demo that keeps its data in ${tmp}/${DEMO_DIR_PREFIX}`));

  // DATA_DIR set: that folder is meant, never a demo
  const given = await runOig(['skipped'], { cwd: elsewhere, env: { TMPDIR: tmp, DATA_DIR: path.join(elsewhere, 'data') } });
  expect(given.code).toBe(1);
  expect(given.stderr).toContain(`no bot is running and there is no data folder at ${path.join(elsewhere, 'data')}`);
}, 90_000);
