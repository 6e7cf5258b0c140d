import type { LogEvent } from '../src/okta/log-event.ts';
import { campaignEvent, decideEvent, envelope, remediateEvent } from '../test/helpers/okta-events.ts';

/**
 * What the campaign-close burst benchmarks share (SPEC §8: 10k events in 60 s, every event stored, ≤ 1
 * message per second per channel, no unhandled 429), whichever chat receives the cards: the events Okta
 * sends when a campaign closes, posted as hook deliveries of 20 spread evenly over the run, and the pace
 * check over the chat calls the fake recorded. slack-burst.ts and teams-burst.ts wire the chat.
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
export function closeBurst(events: number): LogEvent[] {
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** posts the burst to the bot's hook route over `seconds`; resolves with when it started (performance.now) */
export async function postBurst(botUrl: string, secret: string, events: number, seconds: number): Promise<number> {
  const all = closeBurst(events);
  const bodies: string[] = [];
  for (let i = 0; i < all.length; i += BATCH) bodies.push(JSON.stringify(envelope(all.slice(i, i + BATCH))));
  const gap = (seconds * 1000) / bodies.length;
  const started = performance.now();
  const sent: Array<Promise<number>> = [];
  for (const [k, body] of bodies.entries()) {
    await sleep(started + k * gap - performance.now());
    sent.push(
      fetch(`${botUrl}/okta/hooks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: secret }, body }).then(async (r) => {
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
export async function drained(pending: () => number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (pending() > 0 && Date.now() < deadline) await sleep(100);
}
