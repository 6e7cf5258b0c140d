/**
 * Teams retries an activity it got no answer to, with the same id: a retried command or button press must
 * not act twice, and a retry of one that failed must act (issue 11).
 *
 * So an activity id is remembered only once a turn for it has *acted*: it runs inside the turn handler,
 * after botbuilder authenticated the request (a forged post never gets here, so it can neither mark an id
 * seen nor block a genuine activity with that id), and it is remembered only when the turn finished
 * without an error and without a refusal (status < 400). A failed turn is forgotten: the retry acts.
 *
 * A retry that arrives while the first turn still runs waits for it rather than being answered 200 at
 * once: if the first one fails, the retry is the one that acts (answering 200 at once would lose it), and
 * if it succeeds the retry gets the same answer (an invoke's replacement card, not an empty 200).
 */
import { RecentIds } from '../../src/intake/recent-ids.ts';
import type { InvokeReply } from './teams-types.ts';

/** the answer to a retry of an activity that already acted: 200, nothing done */
export const ALREADY_HANDLED: InvokeReply = { status: 200 };

export class SeenActivities {
  private readonly acted: RecentIds;
  private readonly running = new Map<string, Promise<InvokeReply | undefined>>();

  constructor(capacity = 5000) {
    this.acted = new RecentIds(capacity);
  }

  /** runs `turn` unless an authenticated activity with this key already acted; `key` undefined: always runs */
  async once(key: string | undefined, turn: () => Promise<InvokeReply | undefined>): Promise<InvokeReply | undefined> {
    if (key === undefined) return turn();
    for (;;) {
      if (this.acted.has(key)) return ALREADY_HANDLED;
      const running = this.running.get(key);
      if (!running) break;
      const reply = await running.catch(() => FAILED);
      // the first turn acted: same answer; it failed: go round, and the first retry to wake up acts
      if (reply !== FAILED && succeeded(reply)) return reply;
    }
    const run = turn();
    this.running.set(key, run);
    try {
      const reply = await run;
      if (succeeded(reply)) this.acted.add(key);
      return reply;
    } finally {
      this.running.delete(key);
    }
  }
}

const FAILED: InvokeReply = { status: 500 };

function succeeded(reply: InvokeReply | undefined): boolean {
  return reply === undefined || reply.status < 400;
}
