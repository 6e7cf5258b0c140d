/**
 * Who opened the Home tab recently: the people whose view is published again when a task changes.
 *
 * Kept in a StateStore document (`slack-home-viewers`), not in memory: with several replicas on
 * PostgreSQL the replica that changes a task (a press, routing on the leader, a drift check) is often not
 * the one that saw `app_home_opened`, and it must know whom to refresh. The list stays small on purpose:
 * every refresh costs one views.publish per person, so only the most recent `max` people who opened the tab
 * within `ttlMs` are kept; anyone else gets a fresh view the next time they open it (Slack sends
 * `app_home_opened` every time). For the same reason `npm run copy-to-postgres` does not carry it over
 * (src/tools/copy/state-names.ts): an empty list only means views wait for their next opening.
 */
import type { StateDoc, StateStore } from '../../../src/store/state-store.ts';

interface ViewersDoc {
  /** Slack user id → when they last opened the Home tab, ms since epoch */
  viewers: Record<string, number>;
}

export interface ViewerRules {
  /** at most this many people are refreshed on a change */
  max: number;
  /** a person who has not opened the tab for this long is dropped */
  ttlMs: number;
}

/** the time of an open is written again only after this long: opening the tab twice a minute costs no write */
const REWRITE_MS = 10 * 60_000;

/** Slack user ids: U… or W… (Enterprise Grid), upper-case letters and digits; anything else is not stored */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export class HomeViewers {
  private constructor(
    private readonly doc: StateDoc<ViewersDoc>,
    private readonly rules: ViewerRules,
    private readonly now: () => number,
  ) {}

  static async open(state: StateStore, rules: ViewerRules, now: () => number = Date.now): Promise<HomeViewers> {
    return new HomeViewers(await state.doc<ViewersDoc>('slack-home-viewers', { viewers: {} }).open(), rules, now);
  }

  /** `user` opened the Home tab now; resolves once that is stored (or needed no write) */
  async opened(user: string): Promise<void> {
    if (!SLACK_USER_ID.test(user)) return;
    const now = this.now();
    const last = Object.hasOwn(this.doc.data.viewers, user) ? this.doc.data.viewers[user]! : 0;
    if (now - last < REWRITE_MS) return;
    await this.doc.update((d) => {
      d.viewers[user] = now;
      const keep = recent(d.viewers, this.rules, now);
      for (const id of Object.keys(d.viewers)) if (!keep.includes(id)) delete d.viewers[id];
    });
  }

  /** the people to refresh, most recent first (the document as this replica last read it) */
  list(): string[] {
    return recent(this.doc.data.viewers, this.rules, this.now());
  }
}

function recent(viewers: Readonly<Record<string, number>>, rules: ViewerRules, now: number): string[] {
  return Object.entries(viewers)
    .filter(([, at]) => now - at <= rules.ttlMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, rules.max)
    .map(([id]) => id);
}
