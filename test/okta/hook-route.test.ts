import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideEvent, envelope, remediateEvent, systemEvent } from '../helpers/okta-events.ts';
import { eventually, postHook, startBot, TEST_SECRET, type RunningBot } from '../helpers/start-bot.ts';

let running: RunningBot;
beforeEach(async () => {
  running = await startBot();
});
afterEach(async () => {
  await running.stop(true);
});

const events = () => running.bot.store.stats().events;

describe('GET /okta/hooks (Okta verification)', () => {
  const verify = (headers: Record<string, string>) => fetch(`${running.url}/okta/hooks`, { headers });

  it('echoes the challenge when the secret is right', async () => {
    const res = await verify({ authorization: TEST_SECRET, 'x-okta-verification-challenge': 'abc123' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verification: 'abc123' });
  });

  it.each([
    ['missing', {}],
    ['wrong', { authorization: 'not-the-secret' }],
    ['a prefix of the right one', { authorization: TEST_SECRET.slice(0, -1) }],
  ])('refuses a %s secret with 401', async (_label, auth) => {
    const res = await verify({ ...auth, 'x-okta-verification-challenge': 'abc123' });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain('abc123');
  });

  it('answers 400 without a challenge header', async () => {
    expect((await verify({ authorization: TEST_SECRET })).status).toBe(400);
  });
});

describe('POST /okta/hooks', () => {
  it('stores every event of a batch before answering 200 with an empty body', async () => {
    const batch = envelope([decideEvent({ decision: 'REVOKE' }), decideEvent({ decision: 'APPROVE' }), systemEvent('system.org.rate_limit.warning')]);
    const res = await postHook(running.url, batch);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    // durable at ack time: the store already has all three
    const ids = (batch.data.events as Array<{ uuid: string }>).map((e) => e.uuid);
    expect(ids.every((id) => running.bot.store.has(id))).toBe(true);
  });

  it('acknowledges a duplicate delivery and changes nothing', async () => {
    const batch = envelope([decideEvent({ decision: 'REVOKE' })]);
    expect((await postHook(running.url, batch)).status).toBe(200);
    await eventually(() => expect(running.sink.cards).toHaveLength(1));
    expect((await postHook(running.url, batch)).status).toBe(200);
    // the same events under a new envelope id (Okta's retry of a retry, or backfill) are deduplicated too
    expect((await postHook(running.url, { ...batch, eventId: randomUUID() })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(events()).toBe(1);
    expect(running.sink.cards).toHaveLength(1);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/oig_events_duplicate_total\{source="hook"\} 2/);
  });

  it('routes a REVOKE to a card after the ack, and a remediation into its thread', async () => {
    const item = 'icix1';
    await postHook(running.url, envelope([decideEvent({ decision: 'REVOKE', item })]));
    await postHook(running.url, envelope([remediateEvent({ item, outcome: 'SKIPPED', status: 'MANUAL' })]));
    await eventually(() => expect(running.sink.cards.map((c) => c.kind)).toEqual(expect.arrayContaining(['decision', 'remediation', 'manual_remediation'])));
    expect(running.sink.cards.find((c) => c.kind === 'remediation')?.threadKey).toBe(`decision:${item}`);
  });

  it('keeps an odd event raw instead of refusing the delivery', async () => {
    const odd = { uuid: randomUUID(), eventType: 42, published: 'yesterday', debugContext: 'nope' };
    expect((await postHook(running.url, { ...envelope([]), data: { events: [odd] } })).status).toBe(200);
    const stored = running.bot.store.get(odd.uuid);
    expect(stored).toBeDefined();
    expect(['unparsed', 'other']).toContain(stored?.kind);
  });

  it.each([
    ['no secret', {}],
    ['a wrong secret', { authorization: 'wrong' }],
    ['the secret in another header', { 'x-okta-secret': TEST_SECRET }],
  ])('refuses %s with 401 and stores nothing', async (_label, headers) => {
    const res = await postHook(running.url, envelope([decideEvent({})]), headers);
    expect(res.status).toBe(401);
    expect(events()).toBe(0);
  });

  it.each([
    ['malformed JSON', '{"eventType": "com.okta.event_hook", data: {', 'NOT_JSON'],
    ['truncated JSON', JSON.stringify(envelope([decideEvent({})])).slice(0, 200), 'NOT_JSON'],
    ['an empty body', '', 'NOT_JSON'],
    ['a JSON array', '[{"uuid":"x"}]', 'NOT_AN_EVENT_HOOK'],
    ['a JSON string', '"hello"', 'NOT_AN_EVENT_HOOK'],
    ['JSON null', 'null', 'NOT_AN_EVENT_HOOK'],
    ['an object without data.events', '{"eventType":"com.okta.event_hook","data":{}}', 'NOT_AN_EVENT_HOOK'],
    ['events that is not a list', '{"data":{"events":{"uuid":"x"}}}', 'NOT_AN_EVENT_HOOK'],
    ['events holding a string', '{"data":{"events":["x"]}}', 'NOT_AN_EVENT_HOOK'],
    ['another envelope type', '{"eventType":"com.okta.import.transform","data":{"events":[]}}', 'NOT_AN_EVENT_HOOK'],
    ['a numeric eventId', '{"eventId":5,"data":{"events":[]}}', 'NOT_AN_EVENT_HOOK'],
  ])('answers 400 for %s', async (_label, body, code) => {
    const res = await postHook(running.url, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(code);
    expect(events()).toBe(0);
  });

  it('answers 413 for a body over 1 MiB announced by Content-Length', async () => {
    const big = envelope([decideEvent({ notes: 'x'.repeat(1024 * 1024) })]);
    const res = await postHook(running.url, big);
    expect(res.status).toBe(413);
    expect(events()).toBe(0);
  });

  it('answers 413 for a chunked body that grows over 1 MiB', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${running.url}/okta/hooks`, { method: 'POST', headers: { authorization: TEST_SECRET, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(events()).toBe(0);
  });

  it('accepts an empty batch', async () => {
    expect((await postHook(running.url, envelope([]))).status).toBe(200);
  });

  it('answers 405 for other methods and 404 for unknown paths', async () => {
    const put = await fetch(`${running.url}/okta/hooks`, { method: 'PUT', headers: { authorization: TEST_SECRET } });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await fetch(`${running.url}/nope`)).status).toBe(404);
  });
});

describe('a custom auth header (OKTA_HOOK_AUTH_HEADER)', () => {
  it('reads the secret from that header only', async () => {
    const custom = await startBot({ OKTA_HOOK_AUTH_HEADER: 'X-Okta-Secret' });
    try {
      const body = envelope([decideEvent({})]);
      expect((await postHook(custom.url, body, { authorization: TEST_SECRET })).status).toBe(401);
      expect((await postHook(custom.url, body, { 'x-okta-secret': TEST_SECRET })).status).toBe(200);
    } finally {
      await custom.stop(true);
    }
  });
});

describe('GET /healthz and /metrics', () => {
  it('is ok while the store is open and 503 once it is closed', async () => {
    const ok = await fetch(`${running.url}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok' }]);
    await running.bot.store.close();
    expect((await fetch(`${running.url}/healthz`)).status).toBe(503);
    // a delivery that cannot be stored is not acknowledged: Okta retries it
    expect((await postHook(running.url, envelope([decideEvent({})]))).status).toBe(503);
  });

  it('exposes Prometheus counters', async () => {
    await postHook(running.url, envelope([decideEvent({}), decideEvent({})]));
    await postHook(running.url, 'garbage');
    const text = await (await fetch(`${running.url}/metrics`)).text();
    expect(text).toMatch(/oig_events_received_total\{source="hook"\} 2/);
    expect(text).toMatch(/oig_events_stored_total\{family="certification"\} 2/);
    expect(text).toMatch(/oig_hook_deliveries_total\{status="200"\} 1/);
    expect(text).toMatch(/oig_hook_deliveries_total\{status="400"\} 1/);
    expect(text).toMatch(/oig_store_events 2/);
  });
});
