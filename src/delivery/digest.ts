/**
 * The digest stage, between routing and the sinks (SPEC §5: "many events at once (a campaign close)
 * become a digest, never a flood: Slack allows about one message per second per channel").
 *
 * Rule: per campaign, count the certification cards that would each be a new message (decision cards,
 * remediation replies, manual-remediation cards; not the in-place status edits of decision cards). When more
 * than `threshold` (10) of them arrive within `windowMs` (30 s) — counting the batch at hand before any of it
 * is let through — the campaign switches to digest mode: from then on its decide/remediate events are
 * collected into one digest card (plus detail replies in its thread and a manual-remediation digest), updated
 * in place, until the campaign has been quiet for `idleMs` (2 min). A later burst starts a new digest.
 *
 * Why these numbers: a campaign being worked normally produces a few cards a minute, each worth its own
 * thread; ten new messages in 30 s already take ten seconds of a channel's pace, and a close produces
 * hundreds. The bundled demo (8 messages for one campaign) stays below it on purpose.
 *
 * In digest mode a decision card's status edit (built when its remediation arrives) still goes out, marked
 * `updateOnly`: a card posted before the burst gets its status line, a card never posted is not created.
 * Manual-remediation cards are not folded: each is a task with Claim / Mark done / Verify buttons, and a
 * task nobody can press is no task (the digest still names them, so the campaign's channel hears of them).
 * Neutral: Slack and Teams both receive the digest cards; sinks coalesce successive versions by key.
 * State lives in memory: after a restart a burst in progress continues in a new digest message.
 *
 * A digest is rebuilt at most once per `emitEveryMs` (1 s, the pace of one Slack channel anyway): building
 * it lists up to 200 items, and doing that for every stored batch of a busy burst cost intake most of its
 * speed. Changes within that second go out with the next version, from a timer if nothing else arrives.
 */
import type { Card } from '../cards/card.ts';
import { buildDigestCard, buildDigestPartCard, buildManualDigestCard } from '../cards/digest-card.ts';
import type { EventRecord } from '../domain/records.ts';
import type { RouteContext } from '../route/route-context.ts';
import { DigestCollector, type ItemRecord } from './digest-collector.ts';

export interface DigestOptions {
  /** more than this many new-message cards of one campaign within `windowMs` start a digest */
  threshold: number;
  windowMs: number;
  /** a digest ends after this long without an event of its campaign */
  idleMs: number;
  /** a digest is rebuilt at most this often; later changes wait for the next version */
  emitEveryMs: number;
  now: () => number;
}

export const DIGEST_DEFAULTS: DigestOptions = { threshold: 10, windowMs: 30_000, idleMs: 120_000, emitEveryMs: 1000, now: Date.now };

/** One stored record and the cards routing made of it. */
export interface RoutedRecord {
  record: EventRecord;
  cards: readonly Card[];
}

interface Activity {
  /** arrivals of new-message cards (time, how many) within the window */
  recent: Array<{ at: number; n: number }>;
  lastSeen: number;
  digest?: DigestCollector;
}

const isItemRecord = (r: EventRecord): r is ItemRecord => r.kind === 'decision' || r.kind === 'remediation';

function campaignOf(r: EventRecord): string | undefined {
  return isItemRecord(r) ? r.campaign.id ?? r.campaign.name : undefined;
}

/** A decision card rebuilt because its remediation arrived edits a message; it is not a new one. */
function isStatusEdit(record: EventRecord, card: Card): boolean {
  return record.kind === 'remediation' && card.kind === 'decision';
}

interface Emission {
  last: number;
  /** the trailing rebuild, when changes arrived too soon after the last version */
  timer?: NodeJS.Timeout;
}

export class DigestStage {
  private readonly o: DigestOptions;
  private readonly campaigns = new Map<string, Activity>();
  private readonly emissions = new Map<DigestCollector, Emission>();
  /** where versions built by the trailing timer go (the dispatcher hands them to the sinks) */
  private publishLate: (cards: Card[]) => void = () => {};

  constructor(options: Partial<DigestOptions> = {}) {
    this.o = { ...DIGEST_DEFAULTS, ...options };
  }

  onLateCards(publish: (cards: Card[]) => void): void {
    this.publishLate = publish;
  }

  /** cards to hand to the sinks for one batch of newly stored records, in order */
  process(batch: readonly RoutedRecord[], ctx: RouteContext): Card[] {
    const now = this.o.now();
    this.sweep(now);
    this.decide(batch, now);
    const out: Card[] = [];
    const touched = new Set<DigestCollector>();
    for (const { record, cards } of batch) {
      const digest = this.activityOf(record)?.digest;
      if (!digest || !isItemRecord(record)) {
        out.push(...cards);
        continue;
      }
      digest.add(record);
      touched.add(digest);
      for (const card of cards) {
        if (isStatusEdit(record, card)) out.push({ ...card, updateOnly: true });
        // a manual-remediation task keeps its own card with its buttons (issue 11: every task stays
        // actionable from chat); it goes to the MANUAL channel, paced there like any card
        else if (card.kind === 'manual_remediation') out.push(card);
      }
    }
    for (const digest of touched) out.push(...this.emitThrottled(digest, ctx, now));
    return out;
  }

  private emitThrottled(digest: DigestCollector, ctx: RouteContext, now: number): Card[] {
    const e = this.emissions.get(digest) ?? { last: -Infinity };
    this.emissions.set(digest, e);
    const wait = e.last + this.o.emitEveryMs - now;
    if (wait <= 0) {
      clearTimeout(e.timer);
      e.timer = undefined;
      e.last = now;
      return this.emit(digest, ctx);
    }
    e.timer ??= setTimeout(() => {
      e.timer = undefined;
      e.last = this.o.now();
      this.publishLate(this.emit(digest, ctx));
    }, wait).unref();
    return [];
  }

  /** campaigns currently collected into a digest (for status pages and tests) */
  activeDigests(): string[] {
    return [...this.campaigns.values()].flatMap((a) => (a.digest ? [a.digest.key] : []));
  }

  private activityOf(record: EventRecord): Activity | undefined {
    const campaign = campaignOf(record);
    return campaign === undefined ? undefined : this.campaigns.get(campaign);
  }

  /** counts the batch's new messages per campaign and switches campaigns over the threshold to digest mode */
  private decide(batch: readonly RoutedRecord[], now: number): void {
    const fresh = new Map<string, number>();
    for (const { record, cards } of batch) {
      const campaign = campaignOf(record);
      if (campaign === undefined) continue;
      const n = cards.filter((c) => !isStatusEdit(record, c)).length;
      fresh.set(campaign, (fresh.get(campaign) ?? 0) + n);
    }
    for (const [campaign, n] of fresh) {
      let a = this.campaigns.get(campaign);
      if (!a) this.campaigns.set(campaign, (a = { recent: [], lastSeen: now }));
      a.lastSeen = now;
      if (a.digest || n === 0) continue;
      const inWindow = a.recent.reduce((sum, r) => sum + r.n, 0);
      if (inWindow + n > this.o.threshold) {
        const first = batch.find((b) => campaignOf(b.record) === campaign)?.record as ItemRecord;
        a.digest = new DigestCollector(`digest:${campaign}:${now.toString(36)}`, first.campaign);
        a.recent = [];
      } else {
        a.recent.push({ at: now, n });
      }
    }
  }

  /** ends quiet digests, forgets old arrivals and campaigns with nothing left to remember */
  private sweep(now: number): void {
    for (const [campaign, a] of this.campaigns) {
      if (a.digest && now - a.lastSeen > this.o.idleMs) {
        // its last version went out already (or will, from its timer); then it is forgotten
        if (!this.emissions.get(a.digest)?.timer) this.emissions.delete(a.digest);
        delete a.digest;
      }
      a.recent = a.recent.filter((r) => now - r.at < this.o.windowMs);
      if (!a.digest && a.recent.length === 0) this.campaigns.delete(campaign);
    }
  }

  private emit(digest: DigestCollector, ctx: RouteContext): Card[] {
    const view = digest.view(ctx.campaignTotals(digest.campaign));
    const changes = digest.takeChanges();
    const cards = [buildDigestCard(view), ...changes.parts.map((p) => buildDigestPartCard(view, p))];
    const manual = changes.manual ? buildManualDigestCard(view) : undefined;
    if (manual) cards.push(manual);
    return cards;
  }
}
