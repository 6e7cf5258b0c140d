/**
 * Failures that will not go away by waiting (a wrong channel id, a bot not invited, a revoked token, a card
 * the chat refuses): each is logged once with what to fix and kept here for `/oig stats` and /metrics until
 * a call to that channel succeeds again. Refused cards are remembered (the last 20) even after recovery.
 * The adapter says what to fix (`fixFor`): the codes and their remedies are the chat product's.
 */
import type { Logger } from 'pino';
import type { ChatMetrics } from './chat-metrics.ts';

export interface ProblemWords {
  /** "Slack", "Teams": how log lines name the chat */
  product: string;
  /** what an admin must do about a refusal code (in a channel) */
  fixFor(code: string, channel?: string): string;
}

export type ProblemScope = 'token' | 'channel' | 'card';

export interface DeliveryProblem {
  scope: ProblemScope;
  code: string;
  channel?: string;
  /** what to do about it, for people */
  fix: string;
  /** the card's title, for refused cards */
  card?: string;
  firstAt: string;
  lastAt: string;
  count: number;
}

const MAX_CARD_PROBLEMS = 20;

export class DeliveryProblems {
  private readonly blocking = new Map<string, DeliveryProblem>();
  private readonly refused: DeliveryProblem[] = [];

  constructor(
    private readonly log: Logger,
    private readonly metrics: ChatMetrics,
    private readonly words: ProblemWords,
  ) {}

  /** a channel or the token refuses the bot; logs only the first time */
  block(scope: 'token' | 'channel', code: string, channel?: string): void {
    const id = scope === 'token' ? `token:${code}` : `channel:${channel}:${code}`;
    const now = new Date().toISOString();
    const known = this.blocking.get(id);
    if (known) {
      known.count += 1;
      known.lastAt = now;
      return;
    }
    const problem: DeliveryProblem = { scope, code, ...(channel ? { channel } : {}), fix: this.words.fixFor(code, channel), firstAt: now, lastAt: now, count: 1 };
    this.blocking.set(id, problem);
    this.metrics.problems.set(this.blocking.size);
    this.log.error({ code, channel, scope }, `${this.words.product} delivery blocked, cards are kept until it is fixed: ${problem.fix}`);
  }

  /** a card the chat will never accept as it is was dropped */
  refuse(code: string, channel: string, title: string): void {
    const now = new Date().toISOString();
    this.refused.unshift({ scope: 'card', code, channel, fix: this.words.fixFor(code, channel), card: title, firstAt: now, lastAt: now, count: 1 });
    this.refused.length = Math.min(this.refused.length, MAX_CARD_PROBLEMS);
    this.log.error({ code, channel, card: title }, `${this.words.product} refused a card even as plain text; it was dropped`);
  }

  /** a call to `channel` succeeded: that channel and the token work (again) */
  resolve(channel: string): void {
    let changed = false;
    for (const [id, p] of this.blocking) {
      if (p.scope === 'token' || p.channel === channel) {
        this.blocking.delete(id);
        changed = true;
        this.log.info({ code: p.code, channel: p.channel }, `${this.words.product} delivery works again`);
      }
    }
    if (changed) this.metrics.problems.set(this.blocking.size);
  }

  isBlocked(channel: string): boolean {
    return [...this.blocking.values()].some((p) => p.channel === channel);
  }

  /** current blocking problems first, then the most recently refused cards */
  list(): DeliveryProblem[] {
    return [...this.blocking.values(), ...this.refused].map((p) => ({ ...p }));
  }
}

/** one problem as a line for people (`/oig stats`): code, where, how often since when, what to do */
export function problemLine(p: DeliveryProblem, product?: string): string {
  return `${product ? `${product}: ` : ''}${p.code}${p.channel ? ` in ${p.channel}` : ''}${p.card ? ` (${p.card})` : ''}, ${p.count}× since ${p.firstAt}: ${p.fix}`;
}
