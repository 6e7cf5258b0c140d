/**
 * Which chat message a card key is (issue 3: "the store remembers channel + ts per thread key"): a card
 * whose key was posted becomes an edit of that message (Slack chat.update, Teams updateActivity); a card
 * whose threadKey was posted is posted in that message's thread. Kept in a journal under
 * DATA_DIR/state/<name>/ (slack-messages; teams-messages, where the key also names the conversation: one
 * card, several channels), so remembering or forgetting one message costs the bytes of that reference
 * (src/store/journal.ts). A file from before the journal (<name>.json) is imported at open.
 *
 * Entries older than 90 days are dropped (a decision's remediation and an access request's resolution come
 * well within that), and at most MAX_REFS are kept, oldest first out: memory and the journal's snapshots
 * stay bounded. Written once per new keyed message, never per edit.
 */
import type { Logger } from 'pino';
import type { JournalTuning } from '../store/journal.ts';
import type { StateJournal, StateStore } from '../store/state-store.ts';

export interface MessageRef {
  /** the channel id Slack answered with (chat.update needs the id, not a #name); the Teams conversation id */
  channel: string;
  /** Slack's message ts; the Teams activity id */
  ts: string;
  /** when it was posted, ms since epoch */
  at: number;
}

/** a snapshot, and the whole file from before the journal */
interface RefsDoc {
  refs: Record<string, MessageRef>;
}

type RefsOp = { set: string; ref: MessageRef } | { forget: string[] };

export const REF_MAX_AGE_MS = 90 * 86_400_000;
const DAY_MS = 86_400_000;
const MAX_REFS = 20_000;

/** about what one reference takes in a snapshot */
const weight = (key: string, ref: MessageRef) => key.length + ref.channel.length + ref.ts.length + 40;

class RefsState {
  readonly refs = new Map<string, MessageRef>();
  bytes = 0;

  static decode(json: unknown): RefsState {
    const state = new RefsState();
    for (const [key, ref] of Object.entries((json as RefsDoc).refs)) state.apply({ set: key, ref });
    return state;
  }

  encode(): RefsDoc {
    return { refs: Object.fromEntries(this.refs) };
  }

  apply(op: RefsOp): void {
    if ('set' in op) {
      this.drop(op.set);
      this.refs.set(op.set, op.ref);
      this.bytes += weight(op.set, op.ref);
    } else {
      for (const key of op.forget) this.drop(key);
    }
  }

  private drop(key: string): void {
    const ref = this.refs.get(key);
    if (!ref) return;
    this.refs.delete(key);
    this.bytes -= weight(key, ref);
  }
}

export class MessageRefs {
  private constructor(private readonly journal: StateJournal<RefsState, RefsOp>) {}

  /** `name`: the journal's name (slack-messages, teams-messages) */
  static async open(store: StateStore, name: string, o: JournalTuning = {}): Promise<MessageRefs> {
    const journal = await store.journal<RefsState, RefsOp>(name, { create: () => new RefsState(), decode: (json) => RefsState.decode(json) }, o);
    return new MessageRefs(journal);
  }

  get(key: string): MessageRef | undefined {
    return this.journal.state.refs.get(key);
  }

  get size(): number {
    return this.journal.state.refs.size;
  }

  /** bytes written to disk since it was opened */
  get bytesWritten(): number {
    return this.journal.bytesWritten;
  }

  /** durable before it resolves: the delivery loop records a post here before it clears the outbox item */
  set(key: string, ref: MessageRef): Promise<void> {
    return this.journal.commit(() => ({ op: { set: key, ref: { ...ref } }, result: undefined }));
  }

  delete(key: string): Promise<void> {
    return this.journal.commit((s) => (s.refs.has(key) ? { op: { forget: [key] }, result: undefined } : { result: undefined }));
  }

  /** drops references older than 90 days and the oldest beyond MAX_REFS; resolves with how many went */
  prune(now = Date.now()): Promise<number> {
    return this.journal.commit((s) => {
      const entries = [...s.refs];
      const keep = entries.filter(([, r]) => now - r.at <= REF_MAX_AGE_MS).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_REFS);
      if (keep.length === entries.length) return { result: 0 };
      const kept = new Set(keep.map(([k]) => k));
      const forget = entries.filter(([k]) => !kept.has(k)).map(([k]) => k);
      return { op: { forget }, result: forget.length };
    });
  }

  /**
   * Prunes now, then once a day while the bot runs (a bot runs for months: the references stay bounded).
   * Resolves once the first prune is done; `stop()` ends the daily one.
   */
  async keepPruned(log: Logger, chat: string): Promise<{ stop(): void }> {
    const prune = async (): Promise<void> => {
      const pruned = await this.prune();
      if (pruned > 0) log.info({ pruned }, `forgot ${chat} message references older than 90 days`);
    };
    await prune();
    const timer = setInterval(() => void prune().catch((err: unknown) => log.warn({ err }, `could not prune ${chat} message references`)), DAY_MS).unref();
    return { stop: () => clearInterval(timer) };
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
