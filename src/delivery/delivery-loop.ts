/**
 * Drains an outbox into a chat, one lane per channel, each paced (SPEC §5/§8: Slack allows about one
 * message per second per channel, so a lane makes at most one call per `intervalMs`, 1050 ms by default:
 * a margin for timer jitter so Slack never sees two in one second; Teams allows a little more per
 * conversation and gets the same pace). Lanes are independent: a 429, an outage backoff or a blocked
 * channel holds one lane, never the others. The adapter's `send` makes the calls for one item and says
 * what came of them; everything about waiting, retrying and dropping is decided here, for every chat.
 *
 *   429 + Retry-After    the lane waits that long, then sends the same item again (never dropped)
 *   unreachable / 5xx    exponential backoff from `backoffBaseMs` to `backoffMaxMs`, forever (never dropped)
 *   channel refused      logged once with the fix; the lane is parked and probed again after `parkMs`
 *   token refused        logged once; every lane is parked and probed again after `parkMs`
 *   card refused         sent once more as plain text; refused again, it is dropped and shown as a problem
 */
import type { Logger } from 'pino';
import { cardLog, tracing } from '../event-log.ts';
import type { Metrics } from '../metrics.ts';
import { backoffMs, Sleepers } from '../sleepers.ts';
import type { ChatMetrics } from './chat-metrics.ts';
import type { DeliveryProblems } from './delivery-problems.ts';
import type { SendOutcome } from './failure.ts';
import type { Outbox, OutboxItem } from './outbox.ts';

export interface PacingOptions {
  intervalMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  parkMs: number;
  /** tries for a refusal code we do not know before the card is dropped */
  unknownAttempts: number;
}

export const PACING_DEFAULTS: PacingOptions = {
  intervalMs: 1050,
  backoffBaseMs: 2000,
  backoffMaxMs: 300_000,
  parkMs: 600_000,
  unknownAttempts: 5,
};

export interface LaneStatus {
  channel: string;
  waiting: number;
  /** ISO time before which the lane will not call the chat (pacing, Retry-After, backoff or parking) */
  readyAt?: string;
  /** ISO time the lane's oldest waiting card was queued (how long a parked channel has been held up) */
  oldestQueuedAt?: string;
}

interface Lane {
  channel: string;
  nextAt: number;
  parkedUntil: number;
  failures: number;
  running?: Promise<void>;
}

export interface LoopDeps {
  outbox: Outbox;
  /** delivers one item (the adapter's calls: post, edit, reply) */
  send: (item: OutboxItem) => Promise<SendOutcome>;
  problems: DeliveryProblems;
  metrics: Metrics;
  chatMetrics: ChatMetrics;
  /** the sink label of oig_cards_posted_total / oig_cards_failed_total, and how logs name the chat */
  sink: 'slack' | 'teams';
  log: Logger;
}

export class DeliveryLoop {
  private readonly o: PacingOptions;
  private readonly lanes = new Map<string, Lane>();
  private readonly sleepers = new Sleepers();
  private readonly unknownTries = new Map<number, number>();
  private tokenBlockedUntil = 0;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  /** channels with an oig_outbox_oldest_age_seconds series, to drop the series once they are empty */
  private agedChannels = new Set<string>();
  lastDeliveredAt: string | undefined;

  constructor(
    private readonly d: LoopDeps,
    options: Partial<PacingOptions> = {},
  ) {
    this.o = { ...PACING_DEFAULTS, ...options };
    // a parked lane sleeps for minutes: the age is brought up to date whenever /metrics is read
    d.chatMetrics.refreshOnScrape(() => this.ageGauges());
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.wake();
  }

  /** starts a lane for every channel with waiting cards (called after cards were queued) */
  wake(): void {
    this.gauges();
    if (this.state !== 'running') return;
    for (const channel of this.d.outbox.channels()) {
      let lane = this.lanes.get(channel);
      if (!lane) this.lanes.set(channel, (lane = { channel, nextAt: 0, parkedUntil: 0, failures: 0 }));
      if (!lane.running) this.launch(lane);
    }
  }

  /** stops calling the chat; an in-flight call finishes (bounded by the client's timeout); the outbox keeps the rest */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.sleepers.wakeAll();
    await Promise.all([...this.lanes.values()].map((l) => l.running));
  }

  /** the token was refused (auth.test at start): hold every lane for `parkMs` instead of trying each card */
  holdForToken(): void {
    this.tokenBlockedUntil = Date.now() + this.o.parkMs;
  }

  lanesStatus(): LaneStatus[] {
    return [...this.lanes.values()].map((l) => {
      const ready = Math.max(l.nextAt, l.parkedUntil, this.tokenBlockedUntil);
      const oldest = this.d.outbox.oldestQueuedAt(l.channel);
      return {
        channel: l.channel,
        waiting: this.d.outbox.countFor(l.channel),
        ...(ready > Date.now() ? { readyAt: new Date(ready).toISOString() } : {}),
        ...(oldest ? { oldestQueuedAt: oldest } : {}),
      };
    });
  }

  private launch(lane: Lane): void {
    lane.running = this.run(lane)
      .catch((err: unknown) => this.d.log.error({ err, channel: lane.channel }, `a ${this.d.sink} delivery lane failed`))
      .finally(() => {
        lane.running = undefined;
        // a card queued while the lane was winding down must not wait for the next wake()
        if (this.state === 'running' && this.d.outbox.next(lane.channel)) this.launch(lane);
      });
  }

  private async run(lane: Lane): Promise<void> {
    while (this.state === 'running') {
      const item = this.d.outbox.next(lane.channel);
      if (!item) return;
      const wait = Math.max(lane.nextAt, lane.parkedUntil, this.tokenBlockedUntil) - Date.now();
      if (wait > 0) {
        await this.sleepers.sleep(wait);
        continue;
      }
      await this.attempt(lane, item);
    }
  }

  private async attempt(lane: Lane, queued: OutboxItem): Promise<void> {
    const item = await this.d.outbox.collapse(queued);
    const { id, version } = item;
    this.d.outbox.setInFlight(id, true);
    let outcome: SendOutcome;
    try {
      outcome = await this.d.send(item);
    } catch (err) {
      // e.g. the reference file could not be written: treat like an outage, the item stays
      this.d.log.error({ err, channel: lane.channel }, `could not complete a ${this.d.sink} delivery`);
      outcome = { status: 'failed', method: 'post', failure: { kind: 'transient', code: 'local_error' } };
    } finally {
      this.d.outbox.setInFlight(id, false);
    }
    if (tracing(this.d.log)) {
      const failure = outcome.status === 'failed' ? { code: outcome.failure.kind === 'rate_limited' ? 'rate_limited' : outcome.failure.code } : {};
      cardLog(this.d.log, item.card).debug({ channel: lane.channel, ...('method' in outcome ? { method: outcome.method } : {}), ...failure }, `card ${outcome.status} (${this.d.sink})`);
    }
    // pacing counts calls: an edit-only card whose message was never posted made none
    if (outcome.status !== 'skipped') lane.nextAt = Date.now() + this.o.intervalMs;
    if (outcome.status === 'failed') {
      await this.onFailure(lane, item, outcome);
    } else {
      if (outcome.status === 'delivered') {
        this.d.chatMetrics.calls.inc({ method: outcome.method, result: 'ok' });
        this.d.metrics.cardsPosted.inc({ sink: this.d.sink });
        this.d.problems.resolve(lane.channel);
        this.lastDeliveredAt = new Date().toISOString();
        if (lane.failures > 0) this.recovered(lane);
      }
      lane.failures = 0;
      this.unknownTries.delete(id);
      await this.d.outbox.remove(id, version);
    }
    this.gauges();
  }

  private async onFailure(lane: Lane, item: OutboxItem, outcome: Extract<SendOutcome, { status: 'failed' }>): Promise<void> {
    const f = outcome.failure;
    const now = Date.now();
    this.d.chatMetrics.calls.inc({ method: outcome.method, result: f.kind === 'rate_limited' ? 'rate_limited' : f.code });
    switch (f.kind) {
      case 'rate_limited':
        this.d.chatMetrics.rateLimited.inc({ channel: lane.channel });
        lane.nextAt = now + Math.max(f.retryAfterMs, this.o.intervalMs);
        return;
      case 'transient':
        lane.failures += 1;
        if (lane.failures === 1) this.d.log.warn({ channel: lane.channel, code: f.code }, `${this.d.sink} is not reachable; cards wait in the outbox and are retried`);
        lane.nextAt = now + this.backoff(lane.failures);
        return;
      case 'token':
        this.d.problems.block('token', f.code);
        this.tokenBlockedUntil = now + this.o.parkMs;
        return;
      case 'channel':
        this.d.problems.block('channel', f.code, lane.channel);
        lane.parkedUntil = now + this.o.parkMs;
        return;
      case 'rejected':
        if (!item.plain) await this.d.outbox.markPlain(item.id);
        else await this.drop(lane, item, f.code);
        return;
      default: {
        const tries = (this.unknownTries.get(item.id) ?? 0) + 1;
        this.unknownTries.set(item.id, tries);
        if (tries >= this.o.unknownAttempts) await this.drop(lane, item, f.code);
        else lane.nextAt = now + this.backoff(tries);
      }
    }
  }

  private async drop(lane: Lane, item: OutboxItem, code: string): Promise<void> {
    this.unknownTries.delete(item.id);
    await this.d.outbox.remove(item.id, item.version, true);
    this.d.metrics.cardsFailed.inc({ sink: this.d.sink });
    this.d.problems.refuse(code, lane.channel, item.card.title);
  }

  private backoff(failures: number): number {
    return backoffMs(failures, this.o.backoffBaseMs, this.o.backoffMaxMs);
  }

  /**
   * The chat answered again after an outage: an outage is the chat's, not one channel's, so every other
   * lane still backing off (for up to `backoffMaxMs`, 5 minutes) tries again now instead of waiting out its
   * own backoff. Each lane keeps its own pace; a lane whose chat is still down backs off again from the start.
   */
  private recovered(lane: Lane): void {
    const now = Date.now();
    for (const other of this.lanes.values()) {
      if (other === lane || other.failures === 0) continue;
      other.failures = 0;
      other.nextAt = Math.min(other.nextAt, now);
    }
    this.sleepers.wakeAll();
  }

  private gauges(): void {
    this.d.metrics.queueDepth.set(this.d.outbox.size);
    this.d.chatMetrics.outbox.set(this.d.outbox.size);
    this.ageGauges();
  }

  /** oig_outbox_oldest_age_seconds for every channel with waiting cards; a channel emptied loses its series */
  private ageGauges(): void {
    const now = Date.now();
    const aged = new Set<string>();
    for (const channel of this.d.outbox.channels()) {
      const oldest = this.d.outbox.oldestQueuedAt(channel);
      if (oldest === undefined) continue;
      this.d.chatMetrics.oldestAge.set({ sink: this.d.sink, channel }, Math.max(0, (now - Date.parse(oldest)) / 1000));
      aged.add(channel);
    }
    for (const channel of this.agedChannels) if (!aged.has(channel)) this.d.chatMetrics.oldestAge.remove({ sink: this.d.sink, channel });
    this.agedChannels = aged;
  }
}
