import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { composeBot } from '../src/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import type { LogEvent } from '../src/okta/log-event.ts';
import { campaignEvent, decideEvent, envelope, remediateEvent } from '../test/helpers/okta-events.ts';
import { round } from './stats.ts';

/**
 * What the campaign-close burst benchmarks share (SPEC §8: 10k events in 60 s, every event stored, ≤ 1
 * message per second per channel, no unhandled 429), whichever chat receives the cards: the events Okta
 * sends when a campaign closes, posted as hook deliveries of 20 spread evenly over the run, and the pace
 * check over the chat calls the fake recorded. slack-burst.ts and teams-burst.ts say which chat and fake;
 * `runBurst` does the rest the same way for both.
 */
export interface BurstResult {
  events: number;
  stored: number;
  /** new messages the chat accepted */
  messages: number;
  /** edits the chat accepted (digest and status edits) */
  updates: number;
  maxPerSecondPerChannel: number;
  /** 429 answers the fake gave */
  rateLimited: number;
  unhandled429: number;
  /** cards the chat refused for good (should be 0) */
  dropped: number;
  /** from the first delivery until the outbox was empty */
  seconds: number;
}

const BATCH = 20;

/** a decision per item (NORESPONSE, every 33rd REVOKE), then a remediation per item (every 20th SKIPPED) */
function closeBurst(events: number): LogEvent[] {
  const campaign = { id: 'icibenchQ4Close0001', name: 'Q4 close burst' };
  const items = Math.floor((events - 1) / 2);
  const who = (i: number) => ({ id: `00ub${String(i).padStart(16, '0')}`, name: `User ${i}`, login: `user${i}@example.com` });
  const item = (i: number) => `iciib${String(i).padStart(15, '0')}`;
  const decision = (i: number) => (i % 33 === 0 ? 'REVOKE' : 'NORESPONSE');
  const out: LogEvent[] = [campaignEvent('close', { campaign })];
  for (let i = 0; i < items; i++) out.push(decideEvent({ campaign, item: item(i), principal: who(i), decision: decision(i) }));
  for (let i = 0; out.length < events; i++) {
    const n = i % items;
    out.push(remediateEvent({ campaign, item: item(n), principal: who(n), decision: decision(n), outcome: n % 20 === 0 ? 'SKIPPED' : 'SUCCESS' }));
  }
  return out;
}

/** the most calls within any 1000 ms window, per channel, over all channels */
export function maxPerSecond(calls: ReadonlyArray<{ channel?: string | undefined; at: number }>): number {
  const byChannel = new Map<string, number[]>();
  for (const c of calls) {
    if (!c.channel) continue;
    const times = byChannel.get(c.channel) ?? [];
    times.push(c.at);
    byChannel.set(c.channel, times);
  }
  let max = 0;
  for (const times of byChannel.values()) {
    times.sort((a, b) => a - b);
    let from = 0;
    for (let to = 0; to < times.length; to++) {
      while (times[to]! - times[from]! >= 1000) from++;
      max = Math.max(max, to - from + 1);
    }
  }
  return max;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * posts the burst to the bot's hook route over `seconds`; resolves with when it started (performance.now).
 * Several URLs (replicas behind a load balancer, bench/pg-replica-burst.ts): deliveries go to each in turn.
 */
export async function postBurst(botUrl: string | readonly string[], secret: string, events: number, seconds: number): Promise<number> {
  const urls = typeof botUrl === 'string' ? [botUrl] : botUrl;
  const all = closeBurst(events);
  const bodies: string[] = [];
  for (let i = 0; i < all.length; i += BATCH) bodies.push(JSON.stringify(envelope(all.slice(i, i + BATCH))));
  const gap = (seconds * 1000) / bodies.length;
  const started = performance.now();
  const sent: Array<Promise<number>> = [];
  for (const [k, body] of bodies.entries()) {
    await sleep(started + k * gap - performance.now());
    sent.push(
      fetch(`${urls[k % urls.length]!}/okta/hooks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: secret }, body }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
  }
  const statuses = await Promise.all(sent);
  if (statuses.some((s) => s !== 200)) throw new Error(`hook deliveries refused: ${statuses.filter((s) => s !== 200).length}`);
  return started;
}

/** waits until `pending()` is 0, at most five minutes */
async function drained(pending: () => number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (pending() > 0 && Date.now() < deadline) await sleep(100);
}

/** one write call a fake chat received (accepted or not) */
export interface ChatCall {
  channel: string;
  at: number;
  /** a new message, or an edit of one */
  kind: 'post' | 'edit';
  accepted: boolean;
  status: number;
}

/** the chat side of a burst run: its fake, its variables, its channels */
export interface BurstChat {
  /** the variables that turn the chat on and point it at the fake */
  env: Record<string, string>;
  /** after the bot started: subscribe channels and the like */
  prepare?(botUrl: string): Promise<void>;
  /** the write calls the fake received since `prepare` */
  calls(): ChatCall[];
  /** calls made to a channel before the Retry-After of its last 429 had run out */
  violations(): number;
  close(): Promise<void>;
}

/**
 * A real Bot wired by src/compose.ts with the chat's real adapter (production pacing) and no work queue,
 * the burst posted to its hook route, measured until the chat's outbox is empty.
 */
export async function runBurst(chat: BurstChat, opts: { events?: number; seconds?: number } = {}): Promise<BurstResult> {
  const events = opts.events ?? 10_000;
  const seconds = opts.seconds ?? 60;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oig-bench-burst-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OKTA_HOOK_SECRET: 'bench-burst-secret-0123456789abcdef', ...chat.env });
  const app = await composeBot(config, { hookSecret: config.hook.secret!, log: pino({ level: 'silent' }), followUp: false });
  const { bot } = app;
  const adapter = app.slack ?? app.teams;
  if (!adapter) throw new Error('runBurst: the chat variables configured no chat');
  try {
    const url = `http://127.0.0.1:${await app.start()}`;
    await chat.prepare?.(url);
    const started = await postBurst(url, config.hook.secret!, events, seconds);
    await bot.idle();
    await drained(() => adapter.status().outbox);
    const took = (performance.now() - started) / 1000;
    const calls = chat.calls();
    return {
      events,
      stored: bot.store.stats().events,
      messages: calls.filter((c) => c.accepted && c.kind === 'post').length,
      updates: calls.filter((c) => c.accepted && c.kind === 'edit').length,
      maxPerSecondPerChannel: maxPerSecond(calls),
      rateLimited: calls.filter((c) => c.status === 429).length,
      unhandled429: chat.violations(),
      dropped: adapter.deliveryErrors().filter((p) => p.scope === 'card').length,
      seconds: round(took, 1),
    };
  } finally {
    await bot.idle();
    await app.stop();
    await chat.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `npx tsx bench/<chat>-burst.ts [events] [seconds]`: one run, one JSON line */
export function burstCli(moduleUrl: string, run: (opts: { events?: number; seconds?: number }) => Promise<BurstResult>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const [events, seconds] = process.argv.slice(2).map(Number);
  run({ ...(events ? { events } : {}), ...(seconds ? { seconds } : {}) }).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
