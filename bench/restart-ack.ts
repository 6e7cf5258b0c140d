/**
 * Time to the first acknowledged hook delivery after a restart (issue 13 §4: within 2 s at 1M events):
 * spawns the real bot (`node --import tsx src/main.ts`, local mode) on an existing data folder, or on
 * DATABASE_URL when set, and posts a fresh delivery every 25 ms until one is answered 200. Prints
 * {"firstAckSeconds"} measured from the spawn, then kills the bot.
 *
 *   node --expose-gc --import tsx bench/store-1m.ts fill 1000000        # → {"dataDir": …}
 *   npx tsx bench/restart-ack.ts <dataDir>                               # twice: the first start after a
 *                                                                        # fill writes DATA_DIR/event-ids.bin
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { root } from './child.ts';
import { BENCH_SECRET, makeDeliveries } from './records.ts';
import { round } from './stats.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: npx tsx bench/restart-ack.ts <dataDir>');

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const bodies = makeDeliveries(2000, 1);
const started = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], {
  cwd: root,
  env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', OKTA_HOOK_SECRET: BENCH_SECRET, LOG_LEVEL: 'silent' },
  stdio: 'ignore',
});
let firstAck: number | undefined;
for (let i = 0; i < bodies.length && child.exitCode === null; i++) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/okta/hooks`, { method: 'POST', headers: { authorization: BENCH_SECRET, 'content-type': 'application/json' }, body: bodies[i] });
    await res.arrayBuffer();
    if (res.status === 200) {
      firstAck = (performance.now() - started) / 1000;
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 25));
}
child.kill('SIGKILL');
console.log(JSON.stringify({ firstAckSeconds: firstAck === undefined ? null : round(firstAck, 2) }));
