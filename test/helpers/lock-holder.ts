/**
 * A separate process that takes the DATA_DIR lock, for tests that need another holder than the test
 * process itself (a pid that is alive, a real race between processes):
 *
 *   node --import tsx test/helpers/lock-holder.ts <dataDir> <bot|cli> [heartbeatMs, 0 for the default] [command]
 *
 * It prints `ready` once loaded and waits for a `go` line on stdin (so several can start their attempt at
 * the same instant), then prints `{"won":true,"token":…}` or `{"won":false,"error":…}`. A winner holds the
 * lock until stdin closes or it gets SIGTERM, then releases it and exits 0.
 */
import { createInterface } from 'node:readline';
import { DataDirLock, type LockHolder } from '../../src/store/data-dir-lock.ts';

const [dataDir, holder, heartbeat, command] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
let lock: DataDirLock | undefined;

async function attempt(): Promise<void> {
  try {
    lock = await DataDirLock.acquire(dataDir!, holder as LockHolder, {
      ...(Number(heartbeat) > 0 ? { heartbeatMs: Number(heartbeat) } : {}),
      ...(command ? { command } : {}),
    });
    process.stdout.write(JSON.stringify({ won: true, token: lock.info.token }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ won: false, error: (err as Error).message }) + '\n');
    process.exit(0);
  }
}

async function done(): Promise<void> {
  await lock?.release();
  process.exit(0);
}

lines.on('line', (line) => {
  if (line.trim() === 'go') void attempt();
});
lines.on('close', () => void done());
process.on('SIGTERM', () => void done());
process.stdout.write('ready\n');
