/**
 * Which chat message a card key is (issue 3: "the store remembers channel + ts per thread key"): a card
 * whose key was posted becomes an edit of that message (Slack chat.update, Teams updateActivity); a card
 * whose threadKey was posted is posted in that message's thread. Kept in DATA_DIR/state/<name>.json
 * (slack-messages; teams-messages, where the key also names the conversation: one card, several channels).
 *
 * lowdb rewrites the whole file on each change (SPEC §7), so the document is bounded: entries older than 90
 * days are dropped (a decision's remediation and an access request's resolution come well within that),
 * and at most MAX_REFS are kept, oldest first out. Written once per new keyed message, never per edit.
 */
import type { Logger } from 'pino';
import { StateFile } from '../store/state-file.ts';

export interface MessageRef {
  /** the channel id Slack answered with (chat.update needs the id, not a #name); the Teams conversation id */
  channel: string;
  /** Slack's message ts; the Teams activity id */
  ts: string;
  /** when it was posted, ms since epoch */
  at: number;
}

interface RefsDoc {
  refs: Record<string, MessageRef>;
}

export const REF_MAX_AGE_MS = 90 * 86_400_000;
const DAY_MS = 86_400_000;
const MAX_REFS = 20_000;

export class MessageRefs {
  private constructor(private readonly file: StateFile<RefsDoc>) {}

  /** `name`: the state file's name (slack-messages, teams-messages) */
  static async open(dataDir: string, name: string): Promise<MessageRefs> {
    return new MessageRefs(await new StateFile<RefsDoc>(dataDir, name, { refs: {} }).open());
  }

  get(key: string): MessageRef | undefined {
    return Object.hasOwn(this.file.data.refs, key) ? this.file.data.refs[key] : undefined;
  }

  get size(): number {
    return Object.keys(this.file.data.refs).length;
  }

  /** durable before it resolves: the delivery loop records a post here before it clears the outbox item */
  set(key: string, ref: MessageRef): Promise<void> {
    return this.file.update((doc) => {
      doc.refs[key] = ref;
    });
  }

  delete(key: string): Promise<void> {
    return this.file.update((doc) => {
      delete doc.refs[key];
    });
  }

  /** drops references older than 90 days and the oldest beyond MAX_REFS; resolves with how many went */
  async prune(now = Date.now()): Promise<number> {
    const entries = Object.entries(this.file.data.refs);
    const keep = entries.filter(([, r]) => now - r.at <= REF_MAX_AGE_MS).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_REFS);
    if (keep.length === entries.length) return 0;
    const kept = new Set(keep.map(([k]) => k));
    await this.file.update((doc) => {
      for (const key of Object.keys(doc.refs)) if (!kept.has(key)) delete doc.refs[key];
    });
    return entries.length - keep.length;
  }

  /**
   * Prunes now, then once a day while the bot runs (a bot runs for months: the file stays bounded).
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
}
