import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/start-bot.ts';
import { asaHarness, offsets, type AsaHarness } from './support.ts';

let h: AsaHarness;
afterEach(async () => {
  await h.close();
});

const checkpointOnDisk = async (h: AsaHarness) => JSON.parse(await readFile(path.join(h.core.dataDir, 'state', 'asa-checkpoint.json'), 'utf8')) as Record<string, unknown>;

describe('ASA poller: paging', () => {
  it('reads several full pages and a partial last page, keeping the offset of that last page', async () => {
    h = await asaHarness({ pageSize: 5 });
    const events = h.asa.addEvents(13);
    const run = await h.poller.runOnce();
    expect(run).toMatchObject({ poller: 'asa', pages: 3, read: 13, stored: 13, duplicates: 0, caughtUp: true, offset: events[9]!.id });
    expect(run.error).toBeUndefined();
    // page 1 from the oldest, then the offsets of the Link header (the last id of each full page)
    expect(offsets(h.asa)).toEqual([null, events[4]!.id, events[9]!.id]);
    expect(h.asa.auditQueries.every((q) => q.get('count') === '5')).toBe(true);
    expect(await checkpointOnDisk(h)).toMatchObject({ offset: events[9]!.id, lastPageSize: 3, team: h.asa.team, baseUrl: h.asa.url });
    for (const e of events) expect(h.core.store.has(`asa:${e.id}`)).toBe(true);
  });

  it('stops at a page that is not full even when the server sends a next link', async () => {
    h = await asaHarness({ pageSize: 5, fake: { nextOnEveryPage: true } });
    const events = h.asa.addEvents(7);
    const run = await h.poller.runOnce();
    // the partial page is re-read next run: the checkpoint stays at its offset
    expect(run).toMatchObject({ pages: 2, read: 7, stored: 7, caughtUp: true, offset: events[4]!.id });
  });

  it('an empty team: one call, nothing stored, the checkpoint stays at the start', async () => {
    h = await asaHarness();
    const run = await h.poller.runOnce();
    expect(run).toMatchObject({ pages: 1, read: 0, stored: 0, caughtUp: true });
    expect(run.offset).toBeUndefined();
    expect(await checkpointOnDisk(h)).toMatchObject({ lastPageSize: 0 });
  });

  it('picks up events appended between runs and stores none twice', async () => {
    h = await asaHarness({ pageSize: 5 });
    const first = h.asa.addEvents(13);
    await h.poller.runOnce();
    const more = h.asa.addEvents(4);
    const run = await h.poller.runOnce();
    // the last page (3 events) is read again, now full, then the 2 after it
    expect(run).toMatchObject({ pages: 2, read: 7, stored: 4, duplicates: 3, caughtUp: true, offset: more[1]!.id });
    expect(offsets(h.asa).slice(3)).toEqual([first[9]!.id, more[1]!.id]);
    const quiet = await h.poller.runOnce();
    expect(quiet).toMatchObject({ pages: 1, read: 2, stored: 0, duplicates: 2 });
    expect(h.core.store.stats().events).toBe(17);
  });

  it('after a restart continues from the checkpoint, not from the start', async () => {
    h = await asaHarness({ pageSize: 5 });
    const events = h.asa.addEvents(12);
    await h.poller.runOnce();
    const poller = await h.restart();
    h.asa.auditQueries.length = 0;
    h.asa.addEvents(5);
    const run = await poller.runOnce();
    expect(offsets(h.asa)[0]).toBe(events[9]!.id);
    expect(run).toMatchObject({ read: 7, stored: 5, duplicates: 2 });
    expect(h.core.store.stats().events).toBe(17);
    // the execution log survived the restart too
    expect(poller.status().recentRuns).toHaveLength(2);
  });

  it('reset starts over from the oldest event without storing anything twice', async () => {
    h = await asaHarness({ pageSize: 5 });
    h.asa.addEvents(8);
    await h.poller.runOnce();
    await h.poller.reset();
    h.asa.auditQueries.length = 0;
    const run = await h.poller.runOnce();
    expect(offsets(h.asa)[0]).toBeNull();
    expect(run).toMatchObject({ read: 8, stored: 0, duplicates: 8 });
  });

  it('starts over when the checkpoint belongs to another team', async () => {
    h = await asaHarness({ pageSize: 5 });
    h.asa.addEvents(6);
    await h.poller.runOnce();
    const other = h.newPoller({ asa: { team: 'other-team', keyId: 'k', keySecret: 's', baseUrl: h.asa.url, pollCron: '0 0 1 1 *', pageSize: 5 } });
    await other.open();
    expect(other.status().checkpoint.offset).toBeUndefined();
  });

  it('posts cards for notable types only, through the normal routing', async () => {
    // fresh events (a minute old): posted; history is summarised instead (test below)
    h = await asaHarness({ pageSize: 10, bot: true, fake: { startAt: Date.now() - 60_000 } });
    h.asa.addEvents(4, ['server.ssh_login', 'auth_token.issue', 'user_creds.issue', 'client.enroll']);
    await h.poller.runOnce();
    await h.core.idle();
    await eventually(() => expect(h.core.sink!.cards.map((c) => c.title)).toEqual([
      'alice (status ACTIVE) logged in to web-01 (project prod)',
      'carol (status DISABLED) was issued credentials for db-01 (project data)',
    ]));
    expect(h.core.sink!.cards.every((c) => c.family === 'ASA')).toBe(true);
  });

  it('stores a first run of 1,000 old events and posts one summary, not 1,000 cards', async () => {
    // ASA keeps 90 days; a first run reads them all. Two days old: history (src/intake/history.ts)
    h = await asaHarness({ pageSize: 100, bot: true });
    h.asa.addEvents(1000, ['server.ssh_login', 'auth_token.issue', 'user_creds.issue', 'client.enroll']);
    await h.poller.runOnce();
    await h.core.idle();
    expect(h.core.store.stats().events).toBe(1000);
    const cards = h.core.sink!.cards;
    // one summary message, its versions sharing one key (the outbox coalesces them into one message)
    expect(new Set(cards.map((c) => c.key)).size).toBe(1);
    expect(cards.every((c) => c.kind === 'catch_up' && c.family === 'ASA')).toBe(true);
    const last = cards[cards.length - 1]!;
    expect(last.title).toMatch(/^Caught up 1,000 ASA events from /);
    expect(last.facts.find((f) => f.label === 'Notable')?.value).toMatch(/^500 /);
    expect(last.notes?.join(' ')).toContain('/oig asa');
  });

  it('counts runs in the poll_runs metric', async () => {
    h = await asaHarness();
    await h.poller.runOnce();
    h.asa.script('audits', { status: 400, body: '{"message":"bad"}' });
    await h.poller.runOnce();
    const text = await h.core.metrics.registry.metrics();
    expect(text).toContain('oig_poll_runs_total{poller="asa",result="ok"} 1');
    expect(text).toContain('oig_poll_runs_total{poller="asa",result="error"} 1');
    expect(text).toMatch(/oig_poll_last_success_timestamp_seconds\{poller="asa"\} \d{10}\n/);
  });
});
