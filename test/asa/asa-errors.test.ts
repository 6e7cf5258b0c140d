import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asaHarness, offsets, type AsaHarness } from './support.ts';

let h: AsaHarness;
afterEach(async () => {
  await h.close();
});

const checkpointText = (h: AsaHarness) => readFile(path.join(h.core.dataDir, 'state', 'asa-checkpoint.json'), 'utf8');

/** a first run of 6 events in pages of 5, so a checkpoint exists, then `script` for the next call */
async function afterOneRun(pageSize = 5): Promise<{ before: string }> {
  h.asa.addEvents(6);
  await h.poller.runOnce();
  h.asa.addEvents(6);
  return { before: await checkpointText(h) };
}

describe('ASA poller: retries', () => {
  it('waits as a 429 Retry-After says and retries a 503, then goes on', async () => {
    h = await asaHarness({ pageSize: 5, http: { random: () => 0 } });
    h.asa.addEvents(7);
    h.asa.script('audits', { status: 429, headers: { 'retry-after': '2' }, body: '{"message":"rate limited"}' }, { status: 503, body: 'unavailable' });
    const run = await h.poller.runOnce();
    expect(run).toMatchObject({ pages: 2, stored: 7, caughtUp: true });
    expect(run.error).toBeUndefined();
    expect(h.waits).toEqual([2000, 500]);
    expect(h.asa.calls.audits).toBe(4);
  });

  it('honours X-RateLimit-Reset from ASA', async () => {
    const now = Date.now();
    h = await asaHarness({ http: { now: () => now } });
    h.asa.script('audits', { status: 429, headers: { 'x-ratelimit-reset': String(Math.floor(now / 1000) + 3) } });
    await h.poller.runOnce();
    expect(h.waits).toHaveLength(1);
    expect(h.waits[0]).toBeGreaterThan(2000);
    expect(h.waits[0]).toBeLessThanOrEqual(3250);
  });

  it('a failure mid-run keeps the checkpoint of the last stored page; the next run goes on from there', async () => {
    h = await asaHarness({ pageSize: 5, http: { maxAttempts: 2 } });
    const events = h.asa.addEvents(12);
    // page 1 is answered, page 2 fails on both attempts
    h.asa.script('audits', 'normal', { status: 502 }, { status: 502 });
    const failed = await h.poller.runOnce();
    expect(failed.error).toMatch(/^ASA auditsV2 page failed: GET .* answered 502 Bad Gateway \(after 2 attempts\)$/);
    expect(failed).toMatchObject({ pages: 1, stored: 5, caughtUp: false, offset: events[4]!.id });
    const next = await h.poller.runOnce();
    expect(next.error).toBeUndefined();
    expect(offsets(h.asa).at(-2)).toBe(events[4]!.id);
    expect(next).toMatchObject({ stored: 7, duplicates: 0 });
  });
});

describe('ASA poller: bad answers leave the checkpoint untouched', () => {
  it.each([
    ['malformed JSON', { status: 200, body: '{"list": [{"id": "x"' }, /^ASA auditsV2 page failed: GET .*\/auditsV2 answered 200 with a body that is not JSON/],
    ['a page without list', { status: 200, body: '{"items": [], "related_objects": {}}' }, /^ASA auditsV2 page: the answer has no "list" of events \(keys: items, related_objects\)$/],
    ['a list that is not an array', { status: 200, body: '{"list": {"id": 1}}' }, /no "list" of events/],
    ['a JSON array instead of an object', { status: 200, body: '[]' }, /no "list" of events \(keys: none\)/],
    [
      'more events than the API ever returns',
      { status: 200, body: JSON.stringify({ list: Array.from({ length: 1001 }, (_, i) => ({ id: String(i), details: { type: 'x' } })) }) },
      /^ASA auditsV2 page: 1001 events in one answer, more than the 1000 the API returns at most$/,
    ],
    ['a next link to another host', { status: 200, body: '{"list": [1,2,3,4,5]}', headers: { link: '<https://evil.example/v1/x?offset=a>; rel="next"' } }, /the next link points to another host \(https:\/\/evil\.example\)/],
    ['a client error', { status: 404, body: '{"message":"team not found"}' }, /answered 404 Not Found \(team not found\)$/],
  ])('%s', async (_name, answer, message) => {
    h = await asaHarness({ pageSize: 5 });
    const { before } = await afterOneRun();
    const stored = h.core.store.stats().events;
    h.asa.script('audits', answer);
    const run = await h.poller.runOnce();
    expect(run.error).toMatch(message);
    expect(await checkpointText(h)).toBe(before);
    expect(h.core.store.stats().events).toBe(stored);
    // and the error is in the execution log
    expect(h.poller.status().lastRun?.error).toBe(run.error);
  });

  it('a store that cannot take the events: the checkpoint does not move past them', async () => {
    h = await asaHarness({ pageSize: 5 });
    const { before } = await afterOneRun();
    await h.core.store.close();
    const run = await h.poller.runOnce();
    expect(run.error).toBe('the event store is closed');
    expect(run.stored).toBe(0);
    expect(await checkpointText(h)).toBe(before);
  });

  it('a huge page', async () => {
    h = await asaHarness({ pageSize: 5, http: { maxBodyBytes: 64 * 1024 } });
    const { before } = await afterOneRun();
    h.asa.script('audits', { status: 200, body: JSON.stringify({ list: [{ id: 'a', details: { type: 'x', blob: 'b'.repeat(100_000) } }] }) });
    const run = await h.poller.runOnce();
    expect(run.error).toMatch(/^ASA auditsV2 page failed: GET .*\/auditsV2 answered 200 with a body larger than 65536 bytes$/);
    expect(await checkpointText(h)).toBe(before);
  });

  it('a next link that does not move', async () => {
    h = await asaHarness({ pageSize: 5 });
    const events = h.asa.addEvents(5);
    h.asa.addEvents(1);
    const page = JSON.stringify({ list: h.asa.events.slice(0, 5), related_objects: {} });
    const link = `<${h.asa.url}/v1/teams/${h.asa.team}/auditsV2?count=5&offset=${encodeURIComponent(events[4]!.id)}>; rel="next"`;
    h.asa.script('audits', { status: 200, body: page, headers: { link } }, { status: 200, body: page, headers: { link } });
    const run = await h.poller.runOnce();
    expect(run.error).toBe(`ASA auditsV2 page: the next link repeats the offset just read (${events[4]!.id})`);
    expect(run.stored).toBe(5);
  });
});
