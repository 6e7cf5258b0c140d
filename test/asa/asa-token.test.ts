import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asaHarness, type AsaHarness } from './support.ts';

let h: AsaHarness;
afterEach(async () => {
  await h.close();
});

describe('ASA poller: the service token', () => {
  it('exchanges the key once and reuses the token across pages and runs', async () => {
    h = await asaHarness({ pageSize: 5 });
    h.asa.addEvents(12);
    await h.poller.runOnce();
    await h.poller.runOnce();
    expect(h.asa.calls.token).toBe(1);
    expect(h.asa.calls.audits).toBe(4);
  });

  it('renews the token before expires_at', async () => {
    let now = Date.now();
    h = await asaHarness({ fake: { tokenTtlMs: 10 * 60_000 }, poller: { now: () => now } });
    await h.poller.runOnce();
    now += 8 * 60_000; // still valid: 2 minutes left
    await h.poller.runOnce();
    expect(h.asa.calls.token).toBe(1);
    now += 90_000; // 30 s left: inside the renewal margin, renewed without waiting for a 401
    await h.poller.runOnce();
    expect(h.asa.calls.token).toBe(2);
    expect(h.asa.calls.audits).toBe(3);
  });

  it('renews the token after a 401 and repeats that call once', async () => {
    h = await asaHarness({ pageSize: 5 });
    h.asa.addEvents(7);
    await h.poller.runOnce();
    h.asa.revokeTokens();
    h.asa.addEvents(2);
    const run = await h.poller.runOnce();
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ stored: 2, caughtUp: true });
    expect(h.asa.calls.token).toBe(2);
    expect(h.poller.status().tokenExchanges).toBe(2);
  });

  it('gives up after one renewal when ASA keeps refusing, the checkpoint untouched', async () => {
    h = await asaHarness({ pageSize: 5 });
    h.asa.addEvents(3);
    await h.poller.runOnce();
    const before = await readFile(path.join(h.core.dataDir, 'state', 'asa-checkpoint.json'), 'utf8');
    h.asa.rejectAllTokens = true;
    const run = await h.poller.runOnce();
    expect(run.error).toMatch(/^ASA auditsV2 page failed: GET http:\/\/127\.0\.0\.1:\d+\/v1\/teams\/william-faulkner\/auditsV2 answered 401 Unauthorized \(unauthorized\)$/);
    expect(h.asa.calls.token).toBe(2);
    expect(await readFile(path.join(h.core.dataDir, 'state', 'asa-checkpoint.json'), 'utf8')).toBe(before);
  });

  it('says what to check when the key is refused, without the secret', async () => {
    h = await asaHarness({ poller: {} });
    const wrong = h.newPoller({ asa: { team: h.asa.team, keyId: h.asa.keyId, keySecret: 'wrong-secret-value', baseUrl: h.asa.url, pollCron: '0 0 1 1 *', pageSize: 5 } });
    const run = await wrong.runOnce();
    expect(run.error).toContain('ASA service token failed: POST');
    expect(run.error).toContain('/v1/teams/william-faulkner/service_token answered 401 Unauthorized (invalid key)');
    expect(run.error).toContain('Check ASA_TEAM, ASA_KEY_ID and ASA_KEY_SECRET');
    expect(run.error).not.toContain('wrong-secret-value');
    expect(h.asa.calls.audits).toBe(0);
  });

  it('refuses a token answer without bearer_token, storing nothing', async () => {
    h = await asaHarness();
    h.asa.addEvents(3);
    h.asa.script('token', { status: 200, body: JSON.stringify({ expires_at: '2030-01-01T00:00:00Z', team_name: 'william-faulkner' }) });
    const run = await h.poller.runOnce();
    expect(run.error).toBe('ASA service token failed: the answer has no bearer_token (keys: expires_at, team_name)');
    expect(run.pages).toBe(0);
    expect(h.core.store.stats().events).toBe(0);
    expect(h.poller.status().checkpoint.offset).toBeUndefined();
  });

  it('accepts the documented token answer, whose expires_at is long past (clock skew): used, renewed on 401', async () => {
    h = await asaHarness();
    const documented = JSON.parse(await readFile(new URL('../fixtures/asa/asa-service-token-response-docs-example.json', import.meta.url), 'utf8')) as { bearer_token: string };
    h.asa.script('token', { status: 200, body: JSON.stringify(documented) });
    const run = await h.poller.runOnce();
    // the fake never issued that token: 401, then a real exchange
    expect(run.error).toBeUndefined();
    expect(h.asa.calls.token).toBe(2);
  });
});
