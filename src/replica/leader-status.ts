/**
 * `/oig stats` on any replica (issue 13: "/oig works on any replica, with the same answers"): the pollers,
 * chat delivery and the routing backlog exist only on the leading replica, so it writes what they say into
 * a state document every few seconds, and the others answer from that document (which follows the
 * database's changes). The leader itself answers from the live values.
 */
import type { Logger } from 'pino';
import type { DeliveryLine, PollerLine, StatsSource } from '../commands/deps.ts';
import type { StateDoc, StateStore } from '../store/state-store.ts';
import type { Leadership } from './leadership.ts';

interface LeaderStatusDoc {
  /** when the leader last wrote it */
  at?: string;
  pollers?: PollerLine[];
  delivery?: DeliveryLine;
  unrouted?: number;
}

/** how often the leader writes its status (what a follower's /oig stats may lag by) */
const WRITE_EVERY_MS = 5_000;

export interface SharedStats {
  stats: StatsSource;
  stop(): void;
}

/**
 * Wraps the leader's live status: on the leader the live values (and a copy written every few seconds);
 * elsewhere the copy. Before any leader wrote one, a follower shows nothing for them.
 */
export async function shareLeaderStats(live: Required<StatsSource>, state: StateStore, leadership: Pick<Leadership, 'leading'>, log: Logger): Promise<SharedStats> {
  const doc: StateDoc<LeaderStatusDoc> = await state.doc<LeaderStatusDoc>('leader-status', {}).open();
  let writing = false;
  const timer = setInterval(() => {
    if (!leadership.leading || writing) return;
    writing = true;
    const now = { at: new Date().toISOString(), pollers: live.pollers(), delivery: live.delivery(), unrouted: live.unrouted() };
    doc
      .update((d) => Object.assign(d, now))
      .catch((err: unknown) => log.warn({ err }, 'could not share the leader status for /oig stats on the other replicas'))
      .finally(() => (writing = false));
  }, WRITE_EVERY_MS);
  timer.unref();
  const shared = (): LeaderStatusDoc => doc.data;
  return {
    stats: {
      pollers: () => (leadership.leading ? live.pollers() : (shared().pollers ?? [])),
      delivery: () => (leadership.leading ? live.delivery() : (shared().delivery ?? { outbox: 0, errors: [] })),
      unrouted: () => (leadership.leading ? live.unrouted() : (shared().unrouted ?? 0)),
    },
    stop: () => clearInterval(timer),
  };
}
