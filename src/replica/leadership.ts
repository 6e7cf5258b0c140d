/**
 * Which process does the work that must run once (issue 13 §2). Every replica takes Okta hook deliveries,
 * answers /oig and button presses; only the one that leads does what follows the ack: routing, chat
 * delivery (the outboxes), the pollers, reminders, drift checks and retention. With DATA_DIR there is one
 * process and it leads at once (soleProcess); with DATABASE_URL the lead is a PostgreSQL advisory lock
 * (leader-lease.ts) that another replica takes within seconds when the leader dies.
 *
 * A lead can be lost without this process choosing it (its database connection died, so the server may
 * already have given the lock to another replica): `onLost` tells the bot to stop leader work at once. A
 * lead that was lost is not campaigned for again on its own: a replica whose leader work is still winding
 * down must not hold the lock, or nobody would be doing that work. Calling `whenLeading()` again, once the
 * work has stopped, campaigns for a new term.
 */

export interface Leadership {
  readonly leading: boolean;
  /**
   * Resolves true once this process leads (at once for the sole process); false if released/stopped before.
   * After a lost lead, calling it again campaigns for a new term.
   */
  whenLeading(): Promise<boolean>;
  /** told once if the lead is lost after it was won (its connection died): the bot must stop leader work at once */
  onLost(listener: (reason: string) => void): void;
  /** gives the lead up (SIGTERM) so another replica takes it at once; a pending whenLeading() resolves false */
  release(): Promise<void>;
}

/** DATA_DIR mode: the one process (the DATA_DIR lock keeps a second one out) leads from the start */
export function soleProcess(): Leadership {
  let leading = true;
  return {
    get leading() {
      return leading;
    },
    whenLeading: () => Promise.resolve(leading),
    // the sole process has no connection whose loss could take the lead away
    onLost: () => undefined,
    release: async () => {
      leading = false;
    },
  };
}
