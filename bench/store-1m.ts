import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StillUsedIndex } from '../src/correlate/still-used-index.ts';
import { LowdbEventStore } from '../src/store/lowdb-event-store.ts';
import { makeRecords } from './records.ts';
import { round } from './stats.ts';

/**
 * The store at 1M events (SPEC §8), in its own process so memory is its own.
 * `fill <n>`: writes n events into a new DATA_DIR and prints {"dataDir", "fillSeconds"}.
 * `load <dir>`: opens that store (cold start) and appends one delivery of 20 events at once: prints how soon that
 * delivery was durable (`acceptSeconds`, issue 13: < 2 s) and whether the records were still loading then,
 * the time until everything was loaded (`loadSeconds`), the still-used index rebuild and RSS, then appends
 * 100 deliveries of 20 events one after another (no group commit to help) and prints the bytes written per
 * new event.
 */
const [cmd, arg] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;

if (cmd === 'fill') {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-1m-'));
  const store = new LowdbEventStore({ dataDir, retentionDays: 400 });
  await store.open();
  const started = performance.now();
  const count = Number(arg ?? 1_000_000);
  const chunk = 100_000;
  for (let done = 0; done < count; done += chunk) {
    // generated in chunks so the generator's garbage does not pile up; 300 days in all, oldest first
    const n = Math.min(chunk, count - done);
    const records = makeRecords(n, (300 * n) / count, Date.now() - ((count - done - n) / count) * 300 * 86_400_000);
    for (let i = 0; i < records.length; i += 2000) await store.append(records.slice(i, i + 2000));
  }
  await store.close();
  console.log(JSON.stringify({ dataDir, fillSeconds: round((performance.now() - started) / 1000, 1) }));
} else if (cmd === 'load' && arg) {
  const firstDelivery = makeRecords(20, 0.001);
  const started = performance.now();
  const store = new LowdbEventStore({ dataDir: arg, retentionDays: 400 });
  await store.open();
  // fast start (issue 13): how soon a delivery is acknowledged, while the records still load
  await store.append(firstDelivery);
  const acceptSeconds = (performance.now() - started) / 1000;
  const loadingAtFirstAck = store.loadProgress() !== undefined;
  await store.whenLoaded();
  const loadSeconds = (performance.now() - started) / 1000;
  // what a bot start adds on top: the "revoked but still used" index rebuilt from the stored records
  const rebuildStarted = performance.now();
  new StillUsedIndex(store).start(Number.MAX_SAFE_INTEGER);
  const stillUsedSeconds = (performance.now() - rebuildStarted) / 1000;
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const rssMiB = rss / 2 ** 20;
  const heapMiB = heapUsed / 2 ** 20;
  const events = store.stats().events;
  const before = store.stats().bytesWritten;
  const fresh = makeRecords(2000, 0.001);
  for (let i = 0; i < fresh.length; i += 20) await store.append(fresh.slice(i, i + 20));
  const perEvent = (store.stats().bytesWritten - before) / fresh.length;
  await store.close();
  console.log(JSON.stringify({ events, acceptSeconds: round(acceptSeconds, 2), loadingAtFirstAck, loadSeconds: round(loadSeconds, 2), stillUsedSeconds: round(stillUsedSeconds, 2), rssMiB: round(rssMiB, 0), heapMiB: round(heapMiB, 0), bytesPerEvent: round(perEvent, 0) }));
}
