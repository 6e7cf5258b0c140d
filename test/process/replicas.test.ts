/**
 * Several replicas of the real bot (src/main.ts) on one PostgreSQL database (issue 13 §2): every replica
 * takes hook deliveries, /oig and button presses; one leads and does the work after the ack (routing,
 * posting, pollers). Each card is posted once across them, the pace of one message a second per channel
 * holds, the poller runs on one replica and another takes over after a kill -9, and a replica killed
 * mid-burst loses nothing it acknowledged.
 */
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { clickBody } from '../followup/task-bot.ts';
import { exited, startProcess, stopProcesses, type BotProcess } from '../helpers/bot-process.ts';
import { FakeAsa } from '../helpers/fake-asa.ts';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.ts';
import { decideEvent, envelope, remediateEvent } from '../helpers/okta-events.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { SIGNING_SECRET, postSlack, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

const CHANNEL = 'C0REPLICAS';
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stopProcesses();
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Cluster {
  slack: FakeSlack;
  url: string;
  start(extra?: Record<string, string>): Promise<BotProcess>;
}

async function cluster(extra: Record<string, string> = {}): Promise<Cluster> {
  const db = await freshDatabase();
  cleanup.push(() => db.drop());
  const slack = await FakeSlack.start();
  cleanup.push(() => slack.close());
  return {
    slack,
    url: db.url,
    async start(more = {}) {
      // each replica its own DATA_DIR, as on hosts without a shared disk
      const dataDir = await makeDataDir();
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      return startProcess(dataDir, {
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        SLACK_BOT_TOKEN: 'xoxb-replicas-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        SLACK_CHANNEL: CHANNEL,
        OIG_ALLOWED_USERS: 'U0REPLICA',
        ...extra,
        ...more,
      });
    },
  };
}

const leads = (p: BotProcess) => p.out().includes('this replica leads');
const waits = (p: BotProcess) => p.out().includes('another replica leads');

/** padded: no note is a prefix of another */
const note = (i: number) => `burst-${String(i).padStart(4, '0')}`;

/** a decision that makes one card of its own (a campaign each: no digest), told apart by its notes */
const decision = (i: number) => decideEvent({ decision: 'REVOKE', notes: note(i), campaign: { id: `icmReplica${String(i).padStart(4, '0')}`, name: `Replica campaign ${i}` } });

function postsOf(calls: readonly SlackCall[], note: string): number {
  return calls.filter((c) => JSON.stringify(c.body).includes(note)).length;
}

/** the shortest gap between two accepted posts or edits in one channel, ms */
function tightestGap(calls: readonly SlackCall[]): number {
  const at = calls.map((c) => c.at).sort((a, b) => a - b);
  let min = Infinity;
  for (let i = 1; i < at.length; i++) min = Math.min(min, at[i]! - at[i - 1]!);
  return min;
}

const metric = async (p: BotProcess, pattern: RegExp) => pattern.exec(await (await fetch(`${p.url}/metrics`)).text())?.[1];

async function count(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

describePg('replicas of the bot on one PostgreSQL database', () => {
  it('two replicas: a burst spread across both is posted once per card at one message a second; buttons and /oig work on either', async () => {
    const c = await cluster();
    const a = await c.start();
    await eventually(() => expect(leads(a)).toBe(true), 10_000);
    const b = await c.start();
    await eventually(() => expect(waits(b)).toBe(true), 10_000);

    const burst = Array.from({ length: 12 }, (_, i) => decision(i));
    const statuses = await Promise.all(burst.map((e, i) => postHook((i % 2 ? b : a).url, envelope([e])).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await eventually(() => expect(c.slack.posts(CHANNEL)).toHaveLength(12), 30_000);
    for (let i = 0; i < 12; i++) expect(postsOf(c.slack.posts(CHANNEL), note(i))).toBe(1);
    // the pace across both replicas: one writer, one message a second (a little slack for timer jitter)
    expect(tightestGap(c.slack.writeCalls(CHANNEL))).toBeGreaterThanOrEqual(900);

    // a SKIPPED remediation delivered to the follower becomes a task the leader posts
    const item = 'iciiReplica0001';
    expect((await postHook(b.url, envelope([remediateEvent({ item, outcome: 'SKIPPED' })]))).status).toBe(200);
    await eventually(() => expect(c.slack.posts().some((p) => JSON.stringify(p.body).includes('oig_manual_claim'))).toBe(true), 15_000);
    // a press on the follower changes the task in the database; its card is edited by the leader
    const click = await postSlack(b.url, clickBody('oig_manual_claim', `item:${item}`, { user: 'U0REPLICA', responseUrl: c.slack.responseUrl('claim') }));
    expect(click.status).toBe(200);
    await eventually(() => expect(c.slack.updates().some((u) => JSON.stringify(u.body).includes('Claimed'))).toBe(true), 15_000);
    // /oig answers the same on either replica
    const answers = await Promise.all([a, b].map(async (p) => JSON.stringify(await (await postSlashCommand(p.url, 'skipped')).json())));
    for (const text of answers) expect(text).toContain('1 matched');
    await eventually(async () => {
      const again = await Promise.all([a, b].map(async (p) => JSON.stringify(await (await postSlashCommand(p.url, 'skipped')).json())));
      expect(again[0]).toContain('owner u0replica');
      expect(again[1]).toBe(again[0]);
    });
  }, 90_000);

  it('the ASA poller runs on the leader only; after a kill -9 of the leader another replica takes over and posts what was queued', async () => {
    const asa = await FakeAsa.start({ startAt: Date.now() - 60_000 });
    cleanup.push(() => asa.close());
    const c = await cluster({ ...asa.env(), ASA_POLL_CRON: '* * * * * *' });
    const a = await c.start();
    await eventually(() => expect(leads(a)).toBe(true), 10_000);
    const b = await c.start();
    await eventually(() => expect(waits(b)).toBe(true), 10_000);
    const runs = /oig_poll_runs_total\{[^}]*poller="asa"[^}]*result="ok"[^}]*\} (\d+)/;
    await eventually(async () => expect(Number(await metric(a, runs))).toBeGreaterThanOrEqual(2), 10_000);
    expect(await metric(b, runs)).toBeUndefined();
    // /oig stats on the follower tells how the leader's poller stands (leader-status.ts)
    await eventually(async () => expect(JSON.stringify(await (await postSlashCommand(b.url, 'stats')).json())).toContain('ASA audit poller'), 10_000);

    // a burst into the follower while the leader posts, then the leader dies mid-burst
    const burst = Array.from({ length: 10 }, (_, i) => decision(100 + i));
    for (const e of burst) expect((await postHook(b.url, envelope([e]))).status).toBe(200);
    await eventually(() => expect(c.slack.posts(CHANNEL).length).toBeGreaterThanOrEqual(2), 15_000);
    a.child.kill('SIGKILL');
    await exited(a.child);
    await eventually(() => expect(leads(b)).toBe(true), 10_000);
    await eventually(async () => expect(Number(await metric(b, runs))).toBeGreaterThanOrEqual(1), 10_000);
    // every card of the burst is posted; a kill -9 may repeat at most the one post in flight (post-gate.ts)
    await eventually(() => {
      for (let i = 100; i < 110; i++) expect(postsOf(c.slack.posts(CHANNEL), note(i))).toBeGreaterThanOrEqual(1);
    }, 30_000);
    const repeats = Array.from({ length: 10 }, (_, i) => postsOf(c.slack.posts(CHANNEL), note(100 + i))).filter((n) => n > 1);
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect(await count(c.url, "SELECT count(*) AS n FROM events WHERE record LIKE '%burst-01%'")).toBe(10);
  }, 90_000);

  it('a replica killed in the middle of a burst sent to it loses nothing it acknowledged; SIGTERM of the leader hands over at once', async () => {
    const c = await cluster();
    const a = await c.start();
    await eventually(() => expect(leads(a)).toBe(true), 10_000);
    const b = await c.start();
    await eventually(() => expect(waits(b)).toBe(true), 10_000);

    // deliveries to the follower b while it is killed: what got a 200 is stored and posted by the leader
    // one delivery every 20 ms; the follower is killed right after its fifth acknowledgement, with more in flight
    const burst = Array.from({ length: 40 }, (_, i) => decision(300 + i));
    let acks = 0;
    const sent = burst.map((e, i) =>
      new Promise((r) => setTimeout(r, i * 20))
        .then(() => postHook(b.url, envelope([e])))
        .then(
          (r) => {
            if (r.status === 200 && ++acks === 5) b.child.kill('SIGKILL');
            return r.status;
          },
          () => 0,
        ),
    );
    const statuses = await Promise.all(sent);
    const ackedNotes = burst.flatMap((_, i) => (statuses[i] === 200 ? [note(300 + i)] : []));
    expect(ackedNotes.length).toBeGreaterThanOrEqual(5);
    expect(ackedNotes.length).toBeLessThan(40);
    await eventually(() => {
      for (const n of ackedNotes) expect(postsOf(c.slack.posts(CHANNEL), n)).toBe(1);
    }, 60_000);

    // a clean stop of the leader: a new replica takes the lead within the lease's retry, not a timeout
    const d = await c.start();
    await eventually(() => expect(waits(d)).toBe(true), 10_000);
    const stopped = Date.now();
    a.child.kill('SIGTERM');
    expect(await exited(a.child)).toBe(0);
    await eventually(() => expect(leads(d)).toBe(true), 5_000);
    expect(Date.now() - stopped).toBeLessThan(8_000);
    expect((await postHook(d.url, envelope([decision(399)]))).status).toBe(200);
    await eventually(() => expect(postsOf(c.slack.posts(CHANNEL), note(399))).toBe(1), 15_000);
  }, 120_000);

  it('three replicas starting at once on an empty database: migrations run once, one leads, all take deliveries', async () => {
    const c = await cluster();
    const all = await Promise.all([c.start(), c.start(), c.start()]);
    await eventually(() => expect(all.filter(leads)).toHaveLength(1), 10_000);
    expect(all.filter(waits)).toHaveLength(2);
    expect(await count(c.url, 'SELECT count(*) AS n FROM schema_migrations')).toBe(await count(c.url, 'SELECT count(DISTINCT version) AS n FROM schema_migrations'));
    const statuses = await Promise.all(all.map((p, i) => postHook(p.url, envelope([decision(200 + i)])).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    await eventually(() => expect(c.slack.posts(CHANNEL)).toHaveLength(3), 15_000);
  }, 60_000);
});
