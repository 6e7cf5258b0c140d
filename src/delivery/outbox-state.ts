/**
 * The outbox in memory, indexed so the delivery loop's reads do not scan the whole queue (issue 11: a
 * 10k-card queue must not make each `next` or `add` cost O(n)): per channel, the cards that may post and
 * the edit-only ones, each in queue order; and the items per card key and per (channel, key). Changed only
 * by `apply`, with the changes outbox.ts logged in its journal, so start-up rebuilds the same state.
 */
import type { Card } from '../cards/card.ts';

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

/** one line of the outbox journal */
export type OutboxOp =
  /** new items (version > 1 when later cards of the same batch coalesced into them), newer versions of waiting items, the routed log position */
  | { add: Array<Pick<OutboxItem, 'id' | 'channel' | 'card' | 'version'>>; queuedAt: string; coalesced?: Array<Pick<OutboxItem, 'id' | 'card' | 'version'>>; routedThrough?: number }
  | { remove: number }
  /** `fold` takes the merged card and the new version; the `gone` items are removed */
  | { fold: number; card: Card; version: number; gone: number[] }
  | { plain: number };

/** a snapshot, and the form of the whole-file outbox before the journal (`routedThrough` is new) */
export interface OutboxDoc {
  nextId: number;
  routedThrough?: number;
  items: OutboxItem[];
}

interface ChannelQueue {
  /** items that may post a message, in queue order (id order) */
  posts: Map<number, OutboxItem>;
  /** edit-only items (`card.updateOnly`), in queue order */
  edits: Map<number, OutboxItem>;
  /** the highest id ever put in `posts`: an id below it cannot simply be appended */
  postsMaxId: number;
}

const pairKey = (channel: string, key: string) => `${channel}\n${key}`;

export class OutboxState {
  nextId = 1;
  routedThrough = 0;
  /** about what the items take in a snapshot, for the journal's compaction threshold */
  bytes = 0;
  /** every item, in id order (ids only grow, so insertion order is id order) */
  readonly items = new Map<number, OutboxItem>();
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly byKey = new Map<string, Map<number, OutboxItem>>();
  private readonly byPair = new Map<string, Map<number, OutboxItem>>();
  private readonly weights = new Map<number, number>();

  static decode(json: unknown): OutboxState {
    const doc = json as OutboxDoc;
    const state = new OutboxState();
    for (const item of [...doc.items].sort((a, b) => a.id - b.id)) state.insert({ ...item });
    state.nextId = Math.max(doc.nextId, state.nextId);
    state.routedThrough = doc.routedThrough ?? 0;
    return state;
  }

  encode(): OutboxDoc {
    return { nextId: this.nextId, routedThrough: this.routedThrough, items: [...this.items.values()] };
  }

  apply(op: OutboxOp): void {
    if ('add' in op) {
      for (const c of op.coalesced ?? []) {
        const item = this.items.get(c.id);
        if (item) this.setCard(item, c.card, c.version);
      }
      for (const n of op.add) if (!this.items.has(n.id)) this.insert({ ...n, queuedAt: op.queuedAt });
      if (op.routedThrough !== undefined) this.routedThrough = Math.max(this.routedThrough, op.routedThrough);
    } else if ('remove' in op) {
      this.delete(op.remove);
    } else if ('fold' in op) {
      const head = this.items.get(op.fold);
      if (!head) return;
      this.setCard(head, op.card, op.version);
      for (const id of op.gone) this.delete(id);
    } else {
      const item = this.items.get(op.plain);
      if (item) item.plain = true;
    }
  }

  /** channels with waiting items */
  channels(): string[] {
    return [...this.queues.keys()];
  }

  /** the first item that may post, else the first edit-only one */
  next(channel: string): OutboxItem | undefined {
    const q = this.queues.get(channel);
    if (!q) return undefined;
    return first(q.posts) ?? first(q.edits);
  }

  count(channel: string): number {
    const q = this.queues.get(channel);
    return q ? q.posts.size + q.edits.size : 0;
  }

  /** when the longest-waiting item of the channel (or of any channel) was queued */
  oldestQueuedAt(channel?: string): string | undefined {
    const queues = channel === undefined ? [...this.queues.values()] : [this.queues.get(channel)].filter((q) => q !== undefined);
    let oldest: string | undefined;
    for (const q of queues) {
      for (const item of [first(q.posts), first(q.edits)]) if (item && (oldest === undefined || item.queuedAt < oldest)) oldest = item.queuedAt;
    }
    return oldest;
  }

  firstWithKey(key: string): OutboxItem | undefined {
    const m = this.byKey.get(key);
    return m ? first(m) : undefined;
  }

  /** the items of one key in one channel, in queue order (a handful: one in flight, one waiting) */
  withKey(key: string, channel: string): OutboxItem[] {
    return [...(this.byPair.get(pairKey(channel, key))?.values() ?? [])];
  }

  /** the newest item of a key in a channel that `usable` accepts */
  lastWithKey(key: string, channel: string, usable: (item: OutboxItem) => boolean): OutboxItem | undefined {
    return this.withKey(key, channel).findLast(usable);
  }

  private insert(item: OutboxItem): void {
    this.items.set(item.id, item);
    this.nextId = Math.max(this.nextId, item.id + 1);
    let q = this.queues.get(item.channel);
    if (!q) this.queues.set(item.channel, (q = { posts: new Map(), edits: new Map(), postsMaxId: 0 }));
    if (item.card.updateOnly) q.edits.set(item.id, item);
    else addPost(q, item);
    if (item.card.key !== undefined) {
      indexed(this.byKey, item.card.key).set(item.id, item);
      indexed(this.byPair, pairKey(item.channel, item.card.key)).set(item.id, item);
    }
    this.weigh(item);
  }

  private delete(id: number): void {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    const q = this.queues.get(item.channel)!;
    q.posts.delete(id);
    q.edits.delete(id);
    if (q.posts.size + q.edits.size === 0) this.queues.delete(item.channel);
    if (item.card.key !== undefined) {
      unindex(this.byKey, item.card.key, id);
      unindex(this.byPair, pairKey(item.channel, item.card.key), id);
    }
    this.bytes -= this.weights.get(id) ?? 0;
    this.weights.delete(id);
  }

  /** a newer version of the item's card (same key: the indexes by key stay as they are) */
  private setCard(item: OutboxItem, card: Card, version: number): void {
    const q = this.queues.get(item.channel)!;
    // merging keeps updateOnly only when both versions were edit-only, so an item only ever moves edits → posts
    if (item.card.updateOnly && !card.updateOnly) {
      q.edits.delete(item.id);
      addPost(q, item);
    }
    item.card = card;
    item.version = version;
    delete item.plain;
    this.weigh(item);
  }

  private weigh(item: OutboxItem): void {
    const w = JSON.stringify(item.card).length + item.channel.length + 80;
    this.bytes += w - (this.weights.get(item.id) ?? 0);
    this.weights.set(item.id, w);
  }
}

function addPost(q: ChannelQueue, item: OutboxItem): void {
  if (item.id > q.postsMaxId) {
    q.posts.set(item.id, item);
    q.postsMaxId = item.id;
    return;
  }
  // an edit-only item that became a post lands among later ones: rebuild this channel's order (rare)
  q.posts = new Map([...q.posts, [item.id, item] as const].sort((a, b) => a[0] - b[0]));
}

function first<T>(m: Map<number, T>): T | undefined {
  return m.values().next().value;
}

function indexed(index: Map<string, Map<number, OutboxItem>>, key: string): Map<number, OutboxItem> {
  let m = index.get(key);
  if (!m) index.set(key, (m = new Map()));
  return m;
}

function unindex(index: Map<string, Map<number, OutboxItem>>, key: string, id: number): void {
  const m = index.get(key);
  if (!m) return;
  m.delete(id);
  if (m.size === 0) index.delete(key);
}
