/**
 * Campaign-close burst into two replicas (issue 13's bench row: each card once, ≤ 1 message a second per
 * channel): two real bot processes (`src/main.ts`, as `npm start` runs them) on one PostgreSQL database, the
 * burst of burst.ts posted as hook deliveries of 20 over 60 s, to each replica in turn (a load balancer's
 * round robin), against the fake Slack of slack-burst.ts (every 25th write answered 429 + Retry-After: 1, and
 * any write faster than one a second per channel refused with 429 too). One replica leads: it routes what
 * either stored, in log order, and posts; the other only takes deliveries.
 *
 *   stored       rows in the events table at the end
 *   messages / updates   chat.postMessage / chat.update calls the fake accepted
 *   maxPerSecondPerChannel   the most write calls (accepted or not) one channel received in any 1 s window
 *   duplicates   accepted new messages that repeat one already posted: the same channel, thread, text and
 *                blocks (a card posted twice renders the same; two different cards of the burst never do,
 *                each names its own item and person)
 *   seconds      from the first delivery until the leader's outbox and routing backlog were empty
 *
 *   npx tsx bench/pg-replica-burst.ts [events] [seconds]   # a throw-away cluster, or DATABASE_URL; one JSON line
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcesses, type BotProcess } from '../test/helpers/bot-process.ts';
import { FakeSlack, type SlackCall } from '../test/helpers/fake-slack.ts';
import { maxPerSecond, postBurst, type BurstResult } from './burst.ts';
import { admin, benchServer, SKIPPED, withDatabase } from './pg-server.ts';
import { round } from './stats.ts';

const CHANNELS = { cert: 'C0BENCHCERT', manual: 'C0BENCHMANUAL' };
const SECRET = 'bench-replica-secret-0123456789abcdef';

export interface ReplicaBurstResult extends BurstResult {
  replicas: number;
  duplicates: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`pg-replica-burst: ${what} did not happen within ${ms / 1000} s`);
    await sleep(100);
  }
}

/** a metric of one replica, summed over its labels (NaN when it has no series yet) */
async function metric(p: BotProcess, name: string): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0);
}

/** accepted new messages whose channel, thread, text and blocks repeat an earlier accepted one */
export function repeatedPosts(calls: readonly SlackCall[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const c of calls) {
    if (c.method !== 'chat.postMessage' || c.status !== 200 || c.error) continue;
    const key = JSON.stringify([c.channel, c.body.thread_ts ?? null, c.body.text ?? null, c.body.blocks ?? null]);
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  return repeats;
}

export async function benchReplicaBurst(serverUrl: string, opts: { events?: number; seconds?: number } = {}): Promise<ReplicaBurstResult> {
  const events = opts.events ?? 10_000;
  const seconds = opts.seconds ?? 60;
  return withDatabase(serverUrl, 'burst', async (url) => {
    const fake = await FakeSlack.start();
    fake.rateLimitEvery(25, 1);
    fake.enforcePace(1000, 1);
    const dataDirs: string[] = [];
    try {
      const start = async () => {
        // each replica its own DATA_DIR, as on hosts without a shared disk (a replica keeps nothing there)
        const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-replica-'));
        dataDirs.push(dataDir);
        return startProcess(dataDir, {
          DATABASE_URL: url, OKTA_HOOK_SECRET: SECRET, LOG_LEVEL: 'info',
          SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789', SLACK_API_URL: fake.url,
          SLACK_CHANNEL: CHANNELS.cert, SLACK_CHANNEL_MANUAL: CHANNELS.manual,
        });
      };
      // one after the other, so which one leads is known (the lease goes to the first)
      const leader = await start();
      await waitFor('the first replica leading', () => leader.out().includes('this replica leads'), 30_000);
      const follower = await start();
      await waitFor('the second replica following', () => follower.out().includes('another replica leads'), 30_000);

      const started = await postBurst([leader.url, follower.url], SECRET, events, seconds);
      const stored = async () => admin(url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n));
      // drained: everything stored routed, the outbox empty, and no write to Slack for 3 s (a digest edit may follow the last card)
      const deadline = Date.now() + 300_000;
      let quietSince = performance.now();
      let writes = fake.writeCalls().length;
      for (;;) {
        await sleep(250);
        if (fake.writeCalls().length !== writes) {
          writes = fake.writeCalls().length;
          quietSince = performance.now();
        }
        const empty = (await metric(leader, 'oig_queue_depth')) === 0 && (await metric(leader, 'oig_routing_backlog')) === 0;
        if (!empty) quietSince = Math.max(quietSince, performance.now() - 1);
        if ((empty && performance.now() - quietSince >= 3000) || Date.now() > deadline) break;
      }
      const took = (quietSince - started) / 1000;
      const calls = fake.writeCalls();
      const leading = [leader, follower].filter((p) => p.out().includes('this replica leads')).length;
      if (leading !== 1) throw new Error(`pg-replica-burst: ${leading} replicas said they lead`);
      return {
        replicas: 2,
        events,
        stored: await stored(),
        messages: calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && !c.error).length,
        updates: calls.filter((c) => c.method === 'chat.update' && c.status === 200 && !c.error).length,
        maxPerSecondPerChannel: maxPerSecond(calls),
        rateLimited: calls.filter((c) => c.status === 429).length,
        unhandled429: fake.violations,
        // cards that could not be delivered, on either replica (only the leader delivers)
        dropped: ((await metric(leader, 'oig_cards_failed_total')) || 0) + ((await metric(follower, 'oig_cards_failed_total')) || 0),
        duplicates: repeatedPosts(calls),
        seconds: round(took, 1),
      };
    } finally {
      await stopProcesses();
      await fake.close();
      for (const d of dataDirs) await rm(d, { recursive: true, force: true });
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [events, seconds] = process.argv.slice(2).map(Number);
  const server = await benchServer();
  if (!server) console.log(JSON.stringify({ skipped: SKIPPED }));
  else {
    try {
      console.log(JSON.stringify(await benchReplicaBurst(server.url, { ...(events ? { events } : {}), ...(seconds ? { seconds } : {}) })));
    } finally {
      await server.stop();
    }
  }
}
