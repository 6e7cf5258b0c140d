/**
 * `/oig export asa`: every matching event, not the newest 1,000, each with the id its product gave it (the ASA
 * auditsV2 id, the Okta uuid of an OPA event), through the engine and through Slack's real upload path.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageOf } from '../../src/commands/answer.ts';
import { chatCommand } from '../../src/commands/engine.ts';
import type { AsaRecord } from '../../src/domain/records.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { asa, unparsed } from '../helpers/records.ts';
import { commandBody, postSlack } from '../helpers/slack-requests.ts';
import { fixtureStore, NOW } from './fixture-store.ts';
import { startCommandsBot, type CommandsBot } from './slack-commands-bot.ts';
import { readCsv } from '../helpers/read-csv.ts';

const COUNT = 1205;
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

/** 1,205 events a minute apart, newest first: every fifth from OPA (Okta uuid ids), the rest from ASA */
function events(): AsaRecord[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const opa = i % 5 === 0;
    return asa({
      id: opa ? randomUUID() : `asa:audit-${String(i).padStart(5, '0')}`,
      type: opa ? 'pam.server.ssh_login' : 'server.ssh_login',
      at: minutesBefore(i),
      src: opa ? 'system_log' : 'asa',
      user: `user${i % 7}@example.com`,
      server: `web-${i % 3}`,
      text: `user${i % 7} logged in to web-${i % 3}`,
      ...(opa ? { details: { origin: 'OPA' } } : {}),
    });
  });
}

/** the id an auditor finds in ASA or Okta */
const sourceId = (r: AsaRecord) => (r.id.startsWith('asa:') ? r.id.slice(4) : r.id);

const records = events();

describe('export asa through the engine', () => {
  let store: Awaited<ReturnType<typeof fixtureStore>>;
  beforeAll(async () => {
    store = await fixtureStore(records);
  });
  afterAll(() => store.close());

  it('has all 1,205 rows, each with its origin and source event id', () => {
    const file = chatCommand('export asa', { store: store.store, now: () => NOW }).csv!();
    expect(file).toMatchObject({ rows: COUNT, matched: COUNT, filename: 'oig-asa-2026-11-21.csv' });
    const [header, ...rows] = readCsv(file.csv);
    expect(header).toEqual(['at', 'type', 'user', 'server', 'project', 'what', 'outcome', 'origin', 'event id']);
    expect(rows).toHaveLength(COUNT);
    expect(rows.map((r) => r[8])).toEqual(records.map(sourceId));
    expect(rows.filter((r) => r[7] === 'OPA')).toHaveLength(241);
    expect(rows[0]).toEqual([records[0]!.at, 'pam.server.ssh_login', 'user0@example.com', 'web-0', 'prod', 'user0 logged in to web-0', '', 'OPA', records[0]!.id]);
  });

  it('of a period and of a user: every match of it', () => {
    const deps = { store: store.store, now: () => NOW };
    const period = readCsv(chatCommand('export asa since 2026-11-21T00:00', deps).csv!().csv).slice(1);
    // NOW is 12:00 UTC: twelve hours of events a minute apart, the boundary included
    expect(period).toHaveLength(12 * 60 + 1);
    const alice = readCsv(chatCommand('export asa user3@example.com since 2026-11-20T12:00+00:00', deps).csv!().csv).slice(1);
    expect(alice.map((r) => r[8])).toEqual(records.filter((r, i) => i % 7 === 3 && r.at >= '2026-11-20T12:00:00.000Z').map(sourceId));
  });

  it('the chat answer still pages twenty at a time, through all of them', () => {
    const cmd = chatCommand('asa', { store: store.store, now: () => NOW });
    const first = cmd.page();
    expect(first).toMatchObject({ page: 0, pages: 61, next: 1 });
    expect(first.rows).toHaveLength(20);
    const last = pageOf(first.answer, 60);
    expect(last.rows.map((r) => r.cells[8])).toEqual(records.slice(1200).map(sourceId));
  });
});

describe('asa order', () => {
  it('is newest first across types and sources, whatever order events arrived in; unreadable ones are not counted', async () => {
    // ASA poller catch-up and System Log backfill deliver late, older events after newer ones
    const mixed = [...records.slice(0, 300)].sort(() => Math.random() - 0.5);
    const odd = unparsed({ id: 'u-pam', type: 'pam.server.ssh_login', family: 'asa', at: minutesBefore(2), src: 'system_log' });
    const filled = await fixtureStore([...mixed, odd]);
    try {
      const deps = { store: filled.store, now: () => NOW };
      const all = chatCommand('export asa', deps).csv!();
      expect(all.rows).toBe(300);
      expect(readCsv(all.csv).slice(1).map((r) => r[0])).toEqual(records.slice(0, 300).map((r) => r.at));
      const since = readCsv(chatCommand('export asa since 100m', deps).csv!().csv).slice(1);
      expect(since.map((r) => r[8])).toEqual(records.slice(0, 101).map(sourceId));
    } finally {
      await filled.close();
    }
  });
});

describe('export asa through Slack', () => {
  let fake: FakeSlack;
  let running: CommandsBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    running = await startCommandsBot(fake, records);
  });
  afterAll(async () => {
    await running.stop(true);
    await fake.close();
  });

  it('uploads a file with all 1,205 events and their ids', async () => {
    const res = await postSlack(running.url, commandBody('export asa', '/oig', { response_url: fake.responseUrl('asa-export') }));
    expect(res.status).toBe(200);
    const deadline = Date.now() + 5000;
    let content: string | undefined;
    while (content === undefined && Date.now() < deadline) {
      const complete = fake.calls.find((c) => c.method === 'files.completeUploadExternal' && c.status === 200 && !c.error);
      if (complete) {
        const files = (typeof complete.body.files === 'string' ? JSON.parse(complete.body.files) : complete.body.files) as Array<{ id: string }>;
        content = fake.uploads.get(files[0]!.id)?.content;
      }
      if (content === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(content).toBeDefined();
    const rows = readCsv(content!).slice(1);
    expect(rows).toHaveLength(COUNT);
    expect(new Set(rows.map((r) => r[8]))).toEqual(new Set(records.map(sourceId)));
  });
});
