import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { startProcess, stopProcesses } from '../helpers/bot-process.ts';
import { makeDataDir, startBot, type RunningBot } from '../helpers/start-bot.ts';

/** METRICS_TOKEN (SPEC §9) and the process metrics on GET /metrics, against a real Bot on 127.0.0.1 */
const TOKEN = 'metrics-0123456789abcdef-ZZ';

const dirs: string[] = [];
const dataDir = async () => {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
};

let guarded: RunningBot;
let open: RunningBot;
beforeAll(async () => {
  guarded = await startBot({ METRICS_TOKEN: TOKEN });
  open = await startBot({});
});
afterAll(async () => {
  await guarded.stop(true);
  await open.stop(true);
  await stopProcesses();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const scrape = (bot: RunningBot, headers: Record<string, string> = {}, method = 'GET') => fetch(`${bot.url}/metrics`, { method, headers });

describe('GET /metrics with METRICS_TOKEN', () => {
  it('refuses a request without the token: 401, WWW-Authenticate: Bearer, a one-line body', async () => {
    const res = await scrape(guarded);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const body = await res.text();
    expect(body).toBe('GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>\n');
    expect(body).not.toContain('oig_');
  });

  it.each([
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 16)}`],
    ['the token without the scheme', TOKEN],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
    ['the token twice', `Bearer ${TOKEN} ${TOKEN}`],
  ])('refuses %s', async (_name, authorization) => {
    const res = await scrape(guarded, { authorization });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="metrics"/);
    const body = await res.text();
    expect(body.split('\n')).toHaveLength(2);
    // the configured token is never echoed
    expect(body).not.toContain(TOKEN.slice(0, 16));
  });

  it.each([
    ['Bearer', `Bearer ${TOKEN}`],
    ['lower-case bearer', `bearer ${TOKEN}`],
    ['upper-case, extra spaces', `BEARER   ${TOKEN} `],
  ])('answers the right token (%s) with the Prometheus text', async (_name, authorization) => {
    const res = await scrape(guarded, { authorization });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE oig_events_received_total counter$/m);
    expect(text).toMatch(/^oig_store_events 0$/m);
  });

  it('applies to HEAD as well; other routes stay open', async () => {
    expect((await scrape(guarded, {}, 'HEAD')).status).toBe(401);
    expect((await scrape(guarded, { authorization: `Bearer ${TOKEN}` }, 'HEAD')).status).toBe(200);
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${guarded.url}/readyz`)).status).toBe(200);
  });

  it('without METRICS_TOKEN, /metrics is open', async () => {
    expect((await scrape(open)).status).toBe(200);
  });
});

describe('process metrics', () => {
  it('exposes prom-client default metrics (CPU, memory, heap, event-loop lag, GC) next to the oig_* ones', async () => {
    const text = await (await scrape(open)).text();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_version_info']) {
      expect(text).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d`, 'm'));
    }
    // a histogram of the GCs seen since the bot started (its buckets fill as they happen)
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(text).toMatch(/^oig_ready 1$/m);
    expect(text).toMatch(/^oig_store_loaded_ratio 1$/m);
  });

  it('two bots in one process each have their own series', async () => {
    await fetch(`${open.url}/okta/hooks`, { method: 'POST' });
    const [a, b] = await Promise.all([(await scrape(open)).text(), (await scrape(guarded, { authorization: `Bearer ${TOKEN}` })).text()]);
    expect(a).toMatch(/^oig_hook_deliveries_total\{status="401"\} 1$/m);
    expect(b).not.toMatch(/^oig_hook_deliveries_total\{status="401"\}/m);
    expect(b).toMatch(/^process_cpu_user_seconds_total/m);
  });
});

describe('METRICS_TOKEN configuration', () => {
  const config = (token: string) => loadConfig({ DATA_DIR: '/tmp/x', METRICS_TOKEN: token });

  it('is read when it is a bearer token of 16 characters or more', () => {
    expect(config(TOKEN).metricsToken).toBe(TOKEN);
    expect(config('  abcdefghijklmnop  ').metricsToken).toBe('abcdefghijklmnop');
    expect(config('dGhpcyBpcyBhIHRva2Vu==').metricsToken).toBe('dGhpcyBpcyBhIHRva2Vu==');
    expect(loadConfig({ DATA_DIR: '/tmp/x' }).metricsToken).toBeUndefined();
    expect(config('').metricsToken).toBeUndefined();
  });

  it.each([
    ['too short', 'short-token', 'METRICS_TOKEN: is too short (11 characters, need at least 16)'],
    ['blank', '     ', 'METRICS_TOKEN: is too short (0 characters, need at least 16)'],
    ['with a space', 'abcdefgh ijklmnopq', 'METRICS_TOKEN: may hold only letters, digits and - . _ ~ + / (a bearer token; e.g. the output of `openssl rand -hex 32`)'],
    ['with a quote', 'abcdefghijklmnop"q', 'METRICS_TOKEN: may hold only letters, digits and - . _ ~ + / (a bearer token; e.g. the output of `openssl rand -hex 32`)'],
  ])('is refused when %s, naming the variable and never its value', (_name, token, message) => {
    let err: unknown;
    try {
      config(token);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(message);
  });

  it('stops npm start with that one line; a good token is announced in the banner, never shown', async () => {
    await expect(startProcess(await dataDir(), { METRICS_TOKEN: 'short' })).rejects.toThrow(/exited with 1:\noig-chatops: cannot start: METRICS_TOKEN: is too short \(5 characters, need at least 16\)\n$/);
    const bot = await startProcess(await dataDir(), { METRICS_TOKEN: TOKEN });
    expect(bot.out()).toMatch(/\/readyz {3}\/metrics \(metrics require a bearer token: METRICS_TOKEN\)/);
    expect(bot.out()).not.toContain(TOKEN);
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${bot.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  }, 60_000);
});
