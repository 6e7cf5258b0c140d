/**
 * A persisted outbox (issue 3: "cards wait in a persisted outbox until Slack accepted them"; Teams uses its
 * own). A StateFile under DATA_DIR/state/<name>.json (slack-outbox, teams-outbox); every change is durable
 * before it resolves, so cards survive a chat outage, a 429 and a restart. It only holds what is not
 * delivered yet, so it stays small. A "channel" is wherever one message goes: a Slack channel id, a Teams
 * conversation id. One card may be queued for several channels (Teams subscriptions): one item each.
 *
 * Order: first in, first out per channel. Coalescing: a card whose key matches a waiting item of the same
 * channel replaces that item's card in place (same position, version + 1), so consecutive updates of one
 * message (a digest growing, an access request moving on) cost one call with the latest version. An item
 * being sent right now is never replaced: the newer version queues behind it and becomes an edit. Among
 * items of one key, a later one always holds a newer version (new versions go into the last of them), which
 * is what lets `collapse` fold them forward.
 */
import type { Card } from '../cards/card.ts';
import { StateFile } from '../store/state-file.ts';

export interface OutboxItem {
  id: number;
  channel: string;
  card: Card;
  /** bumped when a newer version of the card is coalesced in */
  version: number;
  queuedAt: string;
  /** the chat refused the rich card once: send this card as text only */
  plain?: boolean;
}

interface OutboxDoc {
  nextId: number;
  items: OutboxItem[];
}

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

  private constructor(private readonly file: StateFile<OutboxDoc>) {}

  /** `name`: the state file's name (slack-outbox, teams-outbox) */
  static async open(dataDir: string, name: string): Promise<Outbox> {
    return new Outbox(await new StateFile<OutboxDoc>(dataDir, name, { nextId: 1, items: [] }).open());
  }

  get size(): number {
    return this.file.data.items.length;
  }

  channels(): string[] {
    return [...new Set(this.file.data.items.map((i) => i.channel))];
  }

  /**
   * The item a channel sends next: the oldest one, except that edit-only items (`updateOnly`: status lines
   * of decision cards posted before a digest started, possibly hundreds) yield to everything else. Nothing
   * depends on them, and a digest or a new card must not wait minutes behind them at one call per second.
   */
  next(channel: string): OutboxItem | undefined {
    const items = this.file.data.items;
    return items.find((i) => i.channel === channel && !i.card.updateOnly) ?? items.find((i) => i.channel === channel);
  }

  pendingWithKey(key: string): OutboxItem | undefined {
    return this.file.data.items.find((i) => i.card.key === key);
  }

  countFor(channel: string): number {
    return this.file.data.items.filter((i) => i.channel === channel).length;
  }

  setInFlight(id: number, flying: boolean): void {
    if (flying) this.inFlight.add(id);
    else this.inFlight.delete(id);
  }

  /** queues cards (one durable write for all of them); resolves with how many were queued or coalesced */
  add(cards: readonly Card[], place: Placer): Promise<number> {
    let count = 0;
    const queuedAt = new Date().toISOString();
    return this.file
      .update((doc) => {
        const queued = (key: string) => doc.items.find((i) => i.card.key === key);
        // the last waiting item of a key in a channel holds its newest version: coalescing into it keeps that true
        const pending = (key: string, channel: string) => doc.items.findLast((i) => i.card.key === key && i.channel === channel && !this.inFlight.has(i.id));
        for (const card of cards) {
          const placed = place(card, queued);
          const channels = placed === undefined ? [] : typeof placed === 'string' ? [placed] : placed;
          for (const channel of channels) {
            count += 1;
            const same = card.key !== undefined ? pending(card.key, channel) : undefined;
            if (same) {
              same.card = merged(same.card, card);
              same.version += 1;
              delete same.plain;
            } else {
              doc.items.push({ id: doc.nextId++, channel, card, version: 1, queuedAt });
            }
          }
        }
      })
      .then(() => count);
  }

  /**
   * Removes a delivered item, unless a newer version was coalesced into it meanwhile (then it stays, and
   * the next attempt edits the message just posted). `force` removes it whatever its version.
   */
  async remove(id: number, version: number, force = false): Promise<boolean> {
    let removed = false;
    await this.file.update((doc) => {
      const at = doc.items.findIndex((i) => i.id === id);
      if (at < 0 || (!force && doc.items[at]!.version !== version)) return;
      doc.items.splice(at, 1);
      removed = true;
    });
    return removed;
  }

  /**
   * Folds later versions of an item's message into it before it is sent: a version queued while the item
   * was in flight (and failed) would otherwise cost a post and then an edit. Writes only when there is one.
   */
  async collapse(item: OutboxItem): Promise<OutboxItem> {
    const key = item.card.key;
    if (key === undefined) return item;
    const later = this.file.data.items.filter((i) => i.id !== item.id && i.card.key === key && i.channel === item.channel && !this.inFlight.has(i.id));
    if (later.length === 0) return item;
    const gone = new Set(later.map((i) => i.id));
    await this.file.update((doc) => {
      const head = doc.items.find((i) => i.id === item.id);
      if (!head) return;
      for (const l of doc.items) if (gone.has(l.id)) head.card = merged(head.card, l.card);
      head.version += 1;
      delete head.plain;
      doc.items = doc.items.filter((i) => !gone.has(i.id));
    });
    return this.file.data.items.find((i) => i.id === item.id) ?? item;
  }

  markPlain(id: number): Promise<void> {
    return this.file.update((doc) => {
      const item = doc.items.find((i) => i.id === id);
      if (item) item.plain = true;
    });
  }
}
