/**
 * A persisted outbox (issue 3: "cards wait in a persisted outbox until Slack accepted them"; Teams uses its
 * own). Kept in a journal under DATA_DIR/state/<name>/ (slack-outbox, teams-outbox; src/store/journal.ts):
 * every change is one appended line, durable before it resolves, so cards survive a chat outage, a 429 and
 * a restart, and queueing, delivering or forgetting a card costs the bytes of that card whatever the queue
 * holds (issue 11: a long outage no longer costs O(n²) bytes). A "channel" is wherever one message goes: a
 * Slack channel id, a Teams conversation id. One card may be queued for several channels (Teams
 * subscriptions): one item each. An outbox from before the journal (<name>.json) is imported at open.
 *
 * Order: first in, first out per channel. Coalescing: a card whose key matches a waiting item of the same
 * channel replaces that item's card in place (same position, version + 1), so consecutive updates of one
 * message (a digest growing, an access request moving on) cost one call with the latest version. An item
 * being sent right now is never replaced: the newer version queues behind it and becomes an edit. Among
 * items of one key, a later one always holds a newer version (new versions go into the last of them), which
 * is what lets `collapse` fold them forward. A parked channel keeps its cards, coalesced, and says how long
 * its oldest has waited (`oldestQueuedAt`).
 */
import type { Card } from '../cards/card.ts';
import type { JournalTuning } from '../store/journal.ts';
import type { StateJournal, StateStore } from '../store/state-store.ts';
import { OutboxState, type OutboxItem, type OutboxOp } from './outbox-state.ts';

export type { OutboxItem } from './outbox-state.ts';

/**
 * decides a card's channel(s) while it is queued (none: not posted); `queued(key)` finds a queued item with
 * that key
 */
export type Placer = (card: Card, queued: (key: string) => OutboxItem | undefined) => string | readonly string[] | undefined;

/** updateOnly survives a merge only if both versions are edit-only: one that may post wins */
function merged(older: Card, newer: Card): Card {
  const card = { ...newer };
  if (!(older.updateOnly && newer.updateOnly)) delete card.updateOnly;
  return card;
}

export class Outbox {
  private readonly inFlight = new Set<number>();

  private constructor(private readonly journal: StateJournal<OutboxState, OutboxOp>) {}

  /** `name`: the journal's name (slack-outbox, teams-outbox) */
  static async open(store: StateStore, name: string, o: JournalTuning = {}): Promise<Outbox> {
    const journal = await store.journal<OutboxState, OutboxOp>(name, { create: () => new OutboxState(), decode: (json) => OutboxState.decode(json) }, o);
    return new Outbox(journal);
  }

  private get state(): Readonly<OutboxState> {
    return this.journal.state;
  }

  get size(): number {
    return this.state.items.size;
  }

  /** the log position through which routed cards were queued here (0: none yet): see card-sink.ts */
  get routedThrough(): number {
    return this.state.routedThrough;
  }

  /** bytes the outbox wrote to disk since it was opened */
  get bytesWritten(): number {
    return this.journal.bytesWritten;
  }

  channels(): string[] {
    return this.state.channels();
  }

  /**
   * The item a channel sends next: the oldest one, except that edit-only items (`updateOnly`: status lines
   * of decision cards posted before a digest started, possibly hundreds) yield to everything else. Nothing
   * depends on them, and a digest or a new card must not wait minutes behind them at one call per second.
   */
  next(channel: string): OutboxItem | undefined {
    return this.state.next(channel);
  }

  pendingWithKey(key: string): OutboxItem | undefined {
    return this.state.firstWithKey(key);
  }

  countFor(channel: string): number {
    return this.state.count(channel);
  }

  /** ISO time the longest-waiting card of the channel (or of any channel) was queued; undefined when none waits */
  oldestQueuedAt(channel?: string): string | undefined {
    return this.state.oldestQueuedAt(channel);
  }

  setInFlight(id: number, flying: boolean): void {
    if (flying) this.inFlight.add(id);
    else this.inFlight.delete(id);
  }

  /**
   * Queues cards in one durable append and resolves with how many channel items were queued or coalesced.
   * `routedThrough` (the event-log position of the last event these cards come from) is recorded in the
   * same append. Rejects when the append fails, and then nothing changed: the caller may try again.
   */
  add(cards: readonly Card[], place: Placer, routedThrough?: number): Promise<number> {
    const queuedAt = new Date().toISOString();
    return this.journal.commit((s) => {
      let count = 0;
      // planned against the state without changing it: the items of this batch, and newer versions of waiting ones
      const fresh: OutboxItem[] = [];
      const freshByKey = new Map<string, OutboxItem>();
      const freshByPair = new Map<string, OutboxItem>();
      const coalesced = new Map<number, Pick<OutboxItem, 'id' | 'card' | 'version'>>();
      const queued = (key: string) => s.firstWithKey(key) ?? freshByKey.get(key);
      for (const card of cards) {
        const placed = place(card, queued);
        const channels = placed === undefined ? [] : typeof placed === 'string' ? [placed] : placed;
        for (const channel of channels) {
          count += 1;
          const key = card.key;
          if (key === undefined) {
            fresh.push({ id: s.nextId + fresh.length, channel, card, version: 1, queuedAt });
            continue;
          }
          // the last waiting item of a key in a channel holds its newest version: coalescing into it keeps that true
          const mine = freshByPair.get(`${channel}\n${key}`);
          const waiting = mine ? undefined : s.lastWithKey(key, channel, (i) => !this.inFlight.has(i.id));
          if (mine) {
            mine.card = merged(mine.card, card);
            mine.version += 1;
          } else if (waiting) {
            const was = coalesced.get(waiting.id) ?? waiting;
            coalesced.set(waiting.id, { id: waiting.id, card: merged(was.card, card), version: was.version + 1 });
          } else {
            const item: OutboxItem = { id: s.nextId + fresh.length, channel, card, version: 1, queuedAt };
            fresh.push(item);
            freshByPair.set(`${channel}\n${key}`, item);
            if (!freshByKey.has(key)) freshByKey.set(key, item);
          }
        }
      }
      const routed = routedThrough !== undefined && routedThrough > s.routedThrough ? routedThrough : undefined;
      if (fresh.length === 0 && coalesced.size === 0 && routed === undefined) return { result: count };
      const op: OutboxOp = {
        add: fresh.map(({ id, channel, card, version }) => ({ id, channel, card, version })),
        queuedAt,
        ...(coalesced.size > 0 ? { coalesced: [...coalesced.values()] } : {}),
        ...(routed !== undefined ? { routedThrough: routed } : {}),
      };
      return { op, result: count };
    });
  }

  /**
   * Removes a delivered item, unless a newer version was coalesced into it meanwhile (then it stays, and
   * the next attempt edits the message just posted). `force` removes it whatever its version.
   */
  remove(id: number, version: number, force = false): Promise<boolean> {
    return this.journal.commit((s) => {
      const item = s.items.get(id);
      if (!item || (!force && item.version !== version)) return { result: false };
      return { op: { remove: id }, result: true };
    });
  }

  /**
   * Folds later versions of an item's message into it before it is sent: a version queued while the item
   * was in flight (and failed) would otherwise cost a post and then an edit. Writes only when there is one.
   */
  async collapse(item: OutboxItem): Promise<OutboxItem> {
    const key = item.card.key;
    if (key === undefined) return item;
    const folded = await this.journal.commit((s) => {
      const head = s.items.get(item.id);
      const later = s.withKey(key, item.channel).filter((i) => i.id !== item.id && !this.inFlight.has(i.id));
      if (!head || later.length === 0) return { result: false };
      let card = head.card;
      for (const l of later) card = merged(card, l.card);
      return { op: { fold: head.id, card, version: head.version + 1, gone: later.map((l) => l.id) }, result: true };
    });
    return folded ? (this.state.items.get(item.id) ?? item) : item;
  }

  markPlain(id: number): Promise<void> {
    return this.journal.commit((s) => {
      const item = s.items.get(id);
      return item && !item.plain ? { op: { plain: id }, result: undefined } : { result: undefined };
    });
  }

  /** reads what another replica wrote since this one opened it (PostgreSQL; a replica that comes to lead) */
  async catchUp(): Promise<void> {
    await this.journal.catchUp?.();
  }

  /** waits for pending writes and closes the journal's file */
  close(): Promise<void> {
    return this.journal.close();
  }
}
