/**
 * A replica's lease in a process of its own, for the kill -9 test (test/replica/leader-lease.test.ts):
 * `node --import tsx test/replica/lease-holder.ts <DATABASE_URL> <retryMs>`. It prints "leading" once it
 * holds the lead and stays until it is killed.
 */
import { pino } from 'pino';
import { LeaderLease } from '../../src/replica/leader-lease.ts';

const [url, retryMs] = process.argv.slice(2);
if (!url || !retryMs) throw new Error('usage: lease-holder.ts <DATABASE_URL> <retryMs>');
const lease = new LeaderLease({ url, log: pino({ level: 'silent' }), retryMs: Number(retryMs) });
if (await lease.whenLeading()) process.stdout.write('leading\n');
