/**
 * A process that migrates a database, for the concurrent-start test (test/store/postgres-migrate.test.ts):
 * `node --import tsx test/helpers/migrate-child.ts <DATABASE_URL> <migrations folder>`. It connects, says
 * "ready" and waits for "go" on stdin, so that the test can start several at the same instant; then it
 * prints what it applied as one JSON line, or the error's one line on stderr with exit code 1.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/store/postgres/database.ts';
import { migrate } from '../../src/store/postgres/migrate.ts';

const [url, dir] = process.argv.slice(2);
if (!url || !dir) throw new Error('usage: migrate-child.ts <DATABASE_URL> <migrations folder>');
const db = await openDatabase(url, { max: 2 });
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
try {
  const { applied } = await migrate(db, { dir });
  process.stdout.write(`${JSON.stringify({ applied })}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
