import { FileStateStore } from '../../src/store/file-state-store.ts';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/domain/records.ts';
import { RoutingCursor } from '../../src/route/routing-cursor.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { exited, startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { decideEvent, envelope } from '../helpers/okta-events.ts';
import { SIGNING_SECRET, postSlashCommand } from '../helpers/slack-requests.ts';
import { eventually, makeDataDir, postHook } from '../helpers/start-bot.ts';

/**
 * Issue 13 fast start, through the real entry point: a data folder big enough that loading its records takes
 * seconds, and the hook answering, refusing duplicates and /oig saying "still loading" meanwhile.
 */
const STORED = 120_000;
const CHANNEL = 'C0FASTSTART';

let slack: FakeSlack;
let dataDir: string;
const storedIds: string[] = [];

/** old, routed, unremarkable decisions: nothing to post or open at start */
function oldDecision(i: number): DecisionRecord {
  return {
    id: randomUUID(),
    type: 'certification.campaign.item.decide',
    family: 'certification',
    kind: 'decision',
    at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString(),
    src: 'hook',
    campaign: { id: 'ici0fast', name: 'Fast start review' },
    item: `icii-fast-${i}`,
    principal: { id: `00u${i % 5000}`, name: `User ${i % 5000}`, login: `user${i % 5000}@example.com` },
    resource: { id: `0oa${i % 100}`, name: `App ${i % 100}`, type: 'APPLICATION' },
    decision: 'APPROVE',
  };
}

beforeAll(async () => {
  slack = await FakeSlack.start();
  dataDir = await makeDataDir();
  const store = new LowdbEventStore({ dataDir, retentionDays: 36500 });
  await store.open();
  for (let i = 0; i < STORED; i += 10_000) {
    const batch = Array.from({ length: 10_000 }, (_, k) => oldDecision(i + k));
    for (const r of batch) storedIds.push(r.id);
    await store.append(batch);
  }
  // a clean stop: segments and the id snapshot written, everything routed already
  await store.close();
  const cursor = await RoutingCursor.open(new FileStateStore(dataDir));
  cursor.advance(STORED);
  await cursor.flush();
}, 60_000);

afterEach(async () => {
  await stopProcesses();
});

afterAll(async () => {
  await slack.close();
  await rm(dataDir, { recursive: true, force: true });
});

const env = { SLACK_BOT_TOKEN: 'xoxb-fast-start', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: '', SLACK_CHANNEL: CHANNEL, RETENTION_DAYS: '36500' };
const start = () => startProcess(dataDir, { ...env, SLACK_API_URL: slack.url });

async function oig(url: string, words: string): Promise<string> {
  const res = await postSlashCommand(url, words);
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

async function duplicatesCounted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^oig_events_duplicate_total\{source="hook"\} (\d+)/m.exec(text)?.[1] ?? 0);
}


describe('a start with many stored events', () => {
  it('answers the hook while the records load; /oig says still loading; a new event is posted once after', async () => {
    const bot = await start();
    const fresh = decideEvent({ decision: 'REVOKE', notes: 'acknowledged during the load' });
    expect((await postHook(bot.url, envelope([fresh]))).status).toBe(200);
    // an event stored long ago, delivered again (Okta retries): refused as a duplicate, from the id snapshot
    const again = decideEvent({ uuid: storedIds[1234]!, decision: 'REVOKE' });
    expect((await postHook(bot.url, envelope([again]))).status).toBe(200);
    expect(await duplicatesCounted(bot.url)).toBe(1);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    // all of the above happened while the store was still loading: /oig says so, with how far it is
    const stats = await oig(bot.url, 'stats');
    expect(stats).toMatch(/still loading, \d{1,2}% \(\d+ of 120001 stored events\)/);
    const revokes = await oig(bot.url, 'revokes');
    expect(revokes).toMatch(/Still loading/);
    expect(revokes).toMatch(/still loading, \d{1,2}%/);

    // once loaded: the new event's card is posted, once; the duplicate made none; /oig answers from everything
    await eventually(() => expect(slack.posts(CHANNEL).length).toBeGreaterThan(0), 20_000);
    await eventually(async () => expect(await oig(bot.url, 'stats')).not.toMatch(/still loading/), 20_000);
    expect(slack.posts(CHANNEL)).toHaveLength(1);
    expect(JSON.stringify(slack.posts(CHANNEL)[0]!.body)).toContain('acknowledged during the load');
    expect(await oig(bot.url, 'stats')).toContain('120001 stored events');
    expect(await oig(bot.url, 'revokes')).toContain('1 matched');
    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);
  }, 60_000);

  it('loses nothing acknowledged during a load that a kill -9 cut short', async () => {
    const posted = slack.posts(CHANNEL).length;
    const bot = await start();
    const fresh = decideEvent({ decision: 'REVOKE', notes: 'acknowledged before the kill' });
    expect((await postHook(bot.url, envelope([fresh]))).status).toBe(200);
    expect(await oig(bot.url, 'stats')).toMatch(/still loading/);
    bot.child.kill('SIGKILL');
    await exited(bot.child);

    const restarted = await start();
    expect(restarted.out()).toContain('(120002 events stored)');
    await eventually(async () => expect(await oig(restarted.url, 'stats')).not.toMatch(/still loading/), 20_000);
    await eventually(() => expect(slack.posts(CHANNEL).length).toBe(posted + 1), 10_000);
    expect(JSON.stringify(slack.posts(CHANNEL).at(-1)!.body)).toContain('acknowledged before the kill');
    expect(await oig(restarted.url, 'revokes')).toContain('2 matched');
  }, 60_000);
});
