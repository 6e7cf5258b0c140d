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
 *
 * With several replicas (PostgreSQL) the retry may reach another replica: `shared` (pg-activity-claims.ts)
 * holds the same two facts for all of them, "running" and "acted". A retry on another replica waits while
 * the first turn runs, acts when it failed, and is answered 200 without acting when it acted (the first
 * answer stayed with the first replica). When the database cannot be asked, the turn acts: a press lost
 * is worse than a press repeated.
 */
import type { Logger } from 'pino';
import { RecentIds } from '../../src/intake/recent-ids.ts';
import { loggableError } from '../../src/store/postgres/connection-error.ts';
import type { InvokeReply } from './teams-types.ts';

/** the answer to a retry of an activity that already acted: 200, nothing done */
export const ALREADY_HANDLED: InvokeReply = { status: 200 };

/** what the replicas' shared record says of an activity this replica is about to act on */
export type ClaimAnswer = 'claimed' | 'running' | 'acted';

/** the shared record (PgActivityClaims) */
export interface ActivityClaims {
  /** 'claimed': this replica's turn may act; 'running': another replica's turn runs; 'acted': it acted */
  claim(key: string): Promise<ClaimAnswer>;
  /** the claimed turn acted (remember it) or failed (let a retry act) */
  settle(key: string, acted: boolean): Promise<void>;
}

export interface SeenOptions {
  capacity?: number;
  shared?: ActivityClaims;
  /** how often a retry asks again while another replica's turn runs */
  pollMs?: number;
  log?: Logger;
}

export class SeenActivities {
  private readonly acted: RecentIds;
  private readonly running = new Map<string, Promise<InvokeReply | undefined>>();

  constructor(private readonly o: SeenOptions = {}) {
    this.acted = new RecentIds(o.capacity ?? 5000);
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
    const run = this.runClaimed(key, turn);
    this.running.set(key, run);
    try {
      const reply = await run;
      if (succeeded(reply)) this.acted.add(key);
      return reply;
    } finally {
      this.running.delete(key);
    }
  }

  /** the turn, once no other replica's turn for the key runs or acted */
  private async runClaimed(key: string, turn: () => Promise<InvokeReply | undefined>): Promise<InvokeReply | undefined> {
    const shared = this.o.shared;
    if (!shared) return turn();
    const answer = await this.claim(shared, key);
    if (answer === 'acted') return ALREADY_HANDLED;
    let reply: InvokeReply | undefined = FAILED;
    try {
      reply = await turn();
      return reply;
    } finally {
      if (answer === 'claimed') {
        await shared.settle(key, succeeded(reply)).catch((err: unknown) => this.o.log?.warn({ err: loggableError(err) }, 'could not record a Teams activity as handled for the other replicas'));
      }
    }
  }

  /** 'claimed' or 'acted' (waiting while another replica's turn runs); 'unshared' when the database failed */
  private async claim(shared: ActivityClaims, key: string): Promise<ClaimAnswer | 'unshared'> {
    for (;;) {
      let answer: ClaimAnswer;
      try {
        answer = await shared.claim(key);
      } catch (err) {
        this.o.log?.warn({ err: loggableError(err) }, 'could not ask the other replicas whether a Teams activity was handled; handling it here');
        return 'unshared';
      }
      if (answer !== 'running') return answer;
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 250));
    }
  }
}

const FAILED: InvokeReply = { status: 500 };

function succeeded(reply: InvokeReply | undefined): boolean {
  return reply === undefined || reply.status < 400;
}
