import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Bot } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { DecisionRecord } from '../../src/domain/records.ts';
import { RoutingCursor } from '../../src/route/routing-cursor.ts';
import { FileStateStore } from '../../src/store/file-state-store.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { describePg, freshDatabase } from '../helpers/postgres.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { eventually, makeDataDir, MemorySink, postHook, startBot, TEST_SECRET } from '../helpers/start-bot.ts';
import { botAddedToTeam, postActivity, TEAM_ID } from '../helpers/teams-activities.ts';
import { startSlackBot, type SlackBot } from '../slack/slack-bot.ts';
import { startTeamsBot, type TeamsBot } from '../teams/teams-bot.ts';

/**
 * GET /readyz (SPEC §9): 503 naming what the bot waits for until the stored events are loaded and every
 * configured chat accepted its credentials, then 200; /healthz says "alive" all along.
 */
const dirs: string[] = [];
const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
}, 60_000);

async function readyz(url: string): Promise<{ status: number; body: { status: string; waitingFor?: string[]; message?: string } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; waitingFor?: string[]; message?: string } };
}

/** old, routed decisions in enough segment files that loading them takes a while after the bot listens */
async function bigDataDir(count: number): Promise<string> {
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const store = new LowdbEventStore({ dataDir, retentionDays: 36500 });
  await store.open();
  for (let i = 0; i < count; i += 10_000) {
    const batch = Array.from({ length: 10_000 }, (_, k): DecisionRecord => ({
      id: randomUUID(), type: 'certification.campaign.item.decide', family: 'certification', kind: 'decision',
      at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + (i + k) * 60_000).toISOString(), src: 'hook',
      campaign: { id: 'ici0ready', name: 'Readiness review' }, item: `icii-ready-${i + k}`,
      principal: { id: `00u${k % 500}`, login: `user${k % 500}@example.com` }, resource: { id: '0oa1', name: 'App', type: 'APPLICATION' }, decision: 'APPROVE',
    }));
    await store.append(batch);
  }
  await store.close();
  // routed already, as after a clean stop: nothing to post once loaded
  const cursor = await RoutingCursor.open(new FileStateStore(dataDir));
  cursor.advance(count);
  await cursor.flush();
  return dataDir;
}

describe('GET /readyz and the event store', () => {
  it('answers 503 "store loading N%" while the stored events load (the hook is answered meanwhile), 200 once loaded', async () => {
    const STORED = 60_000;
    const dataDir = await bigDataDir(STORED);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: TEST_SECRET, RETENTION_DAYS: '36500' });
    // loads in the background from the first segment file (the default waits for 64), as a big store does
    const store = new LowdbEventStore({ dataDir, retentionDays: 36500, backgroundLoadFrom: 0 });
    const bot = new Bot({ config, hookSecret: TEST_SECRET, log: pino({ level: 'silent' }), sinks: [new MemorySink()], store });
    const port = await bot.start();
    stops.push(() => bot.stop());
    const url = `http://127.0.0.1:${port}`;

    const loading = await readyz(url);
    // still loading after the answer came back, so it was loading when it was made
    expect(store.loadProgress()).toBeDefined();
    expect(loading.status).toBe(503);
    expect(loading.body.status).toBe('not ready');
    expect(loading.body.waitingFor).toHaveLength(1);
    expect(loading.body.waitingFor![0]).toMatch(new RegExp(`^store loading \\d{1,2}% \\(\\d+ of ${STORED} events\\)$`));
    expect(loading.body.message).toBe(`not ready: ${loading.body.waitingFor![0]}`);
    // alive, and taking Okta's deliveries: only readiness waits for the load
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await postHook(url, envelope([decideEvent({})]))).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^oig_ready 0$/m);

    await bot.loaded();
    expect(await readyz(url)).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^oig_ready 1$/m);
  }, 120_000);

  it('is ready at once for a small store in local mode, and not once the store is closed', async () => {
    const running = await startBot();
    stops.push(() => running.stop(true));
    expect(await readyz(running.url)).toEqual({ status: 200, body: { status: 'ready' } });
    await running.bot.store.close();
    expect(await readyz(running.url)).toMatchObject({ status: 503, body: { waitingFor: ['store not open'] } });
  });

  it('answers only GET and HEAD', async () => {
    const running = await startBot();
    stops.push(() => running.stop(true));
    expect((await fetch(`${running.url}/readyz`, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(`${running.url}/readyz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('GET /readyz and the chats', () => {
  it('waits for Slack to accept the token (auth.test), checking it again while asked, then stays ready', async () => {
    const fake = await FakeSlack.start();
    stops.push(() => fake.close());
    fake.failToken('invalid_auth');
    const running: SlackBot = await startSlackBot(fake, { tuning: { tokenRecheckMs: 200 } });
    stops.push(() => running.stop(true));
    const authTests = () => fake.calls.filter((c) => c.method === 'auth.test').length;

    expect(await readyz(running.url)).toMatchObject({ status: 503, body: { waitingFor: ['Slack token not accepted yet: invalid_auth'] } });
    // asked often, auth.test is called again at most every tokenRecheckMs
    const before = authTests();
    for (let i = 0; i < 5; i++) await readyz(running.url);
    expect(authTests() - before).toBeLessThanOrEqual(1);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    fake.failToken(undefined);
    await eventually(async () => expect(await readyz(running.url)).toEqual({ status: 200, body: { status: 'ready' } }), 5000);
    // a token refused later (revoked while running) shows in /oig stats; readiness stays, so Okta's hook
    // deliveries keep reaching this replica
    fake.failToken('token_revoked');
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE' })]));
    await eventually(() => expect(running.slack.deliveryErrors().filter((p) => p.scope === 'token').map((p) => p.code)).toContain('token_revoked'));
    expect((await readyz(running.url)).status).toBe(200);
  });

  it('while Slack cannot be reached: not ready, with what Slack answered; ready once it answers', async () => {
    const fake = await FakeSlack.start();
    stops.push(() => fake.close());
    await fake.down('503');
    const running = await startSlackBot(fake, { tuning: { tokenRecheckMs: 50 } });
    stops.push(() => running.stop(true));
    expect(await readyz(running.url)).toMatchObject({ status: 503, body: { waitingFor: [expect.stringMatching(/^Slack token not accepted yet: /)] } });
    await fake.up();
    await eventually(async () => expect((await readyz(running.url)).status).toBe(200), 5000);
  });

  it('Teams: ready unless Teams refused the bot as unauthorized before accepting anything', async () => {
    const teams = await FakeTeams.start();
    stops.push(() => teams.close());
    const running: TeamsBot = await startTeamsBot();
    stops.push(() => running.stop(true));
    expect((await postActivity(running.url, botAddedToTeam({ serviceUrl: teams.url }))).status).toBe(200);
    expect(await readyz(running.url)).toEqual({ status: 200, body: { status: 'ready' } });

    teams.failConversation(TEAM_ID, { status: 401 });
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item: 'iciiReady001' })]));
    await eventually(async () => expect(await readyz(running.url)).toMatchObject({ status: 503, body: { waitingFor: [expect.stringMatching(/^Teams credentials not accepted yet: (Unauthorized|http_401)$/)] } }), 5000);

    teams.clearConversation(TEAM_ID);
    // the parked conversation is probed again (parkMs 300 ms in tests); the card goes through
    await eventually(async () => expect(await readyz(running.url)).toEqual({ status: 200, body: { status: 'ready' } }), 5000);
  });

  it('with both chats configured, a Slack refusal holds readiness back (Teams has nothing to wait for yet)', async () => {
    const fake = await FakeSlack.start();
    stops.push(() => fake.close());
    fake.failToken('invalid_auth');
    const running = await startSlackBot(fake, { env: { TEAMS_DEV_NO_AUTH: '1' }, tuning: { tokenRecheckMs: 60_000 } });
    stops.push(() => running.stop(true));
    expect(await readyz(running.url)).toMatchObject({ status: 503, body: { waitingFor: ['Slack token not accepted yet: invalid_auth'] } });
  });
});

describePg('GET /readyz with replicas on PostgreSQL', () => {
  it('each replica answers for itself: the follower is ready too (it takes hooks, /oig and buttons)', async () => {
    const db = await freshDatabase();
    stops.push(() => db.drop());
    const fake = await FakeSlack.start();
    stops.push(() => fake.close());
    const leader = await startSlackBot(fake, { env: { DATABASE_URL: db.url } });
    await eventually(() => expect(leader.bot.leadership.leading).toBe(true), 10_000);
    const follower = await startSlackBot(fake, { env: { DATABASE_URL: db.url } });
    // the leader first: the helper's stop waits for the bot to be idle, which a follower is once it leads
    stops.push(async () => {
      await leader.stop(true);
      await follower.stop(true);
    });
    expect(follower.bot.leadership.leading).toBe(false);
    await eventually(async () => {
      expect(await readyz(leader.url)).toEqual({ status: 200, body: { status: 'ready' } });
      expect(await readyz(follower.url)).toEqual({ status: 200, body: { status: 'ready' } });
    }, 10_000);
    expect((await postHook(follower.url, envelope([decideEvent({})]))).status).toBe(200);
  }, 60_000);
});
