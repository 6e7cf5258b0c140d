/**
 * Keeps people's Slack Home tabs current (issue 14 §2): a view is published for a person when they open the
 * tab, when they press one of its buttons (with what the press did: there is no response_url and no channel
 * in a Home tab, so neither an ephemeral reply nor chat.postEphemeral can reach them — their own view, shown
 * only to them, carries the answer), and for everyone who opened it recently when a task changes.
 *
 * Calls to Slack are bounded however fast tasks change:
 *   - a change only marks views due; they are refreshed `settleMs` later, so a routing burst of a thousand
 *     opened tasks is one refresh per person, not a thousand;
 *   - one person is due at most once (a Map), and a view is rendered when it is sent, from the tasks as
 *     they are then; a person whose view was rendered after the last change is not refreshed again;
 *   - calls go one at a time, `intervalMs` apart (views.publish is Tier 4: about 100 a minute), and a 429
 *     waits out its Retry-After before the next call (the client hands 429s over: slack-api.ts).
 * A failed publish is logged once per kind of failure (until one succeeds) and dropped: the next change or
 * opening of the tab publishes again. Nothing here is awaited by a press or by the work queue.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { TaskSource } from '../../../src/followup/task.ts';
import type { StateStore } from '../../../src/store/state-store.ts';
import { classify, fixFor, type Failure } from '../delivery/slack-errors.ts';
import { homeView } from './home-view.ts';
import { HomeViewers, SLACK_USER_ID } from './home-viewers.ts';

export interface HomeTuning {
  /** how long a change waits for more before the views are refreshed */
  settleMs: number;
  /** at least this long between two views.publish calls */
  intervalMs: number;
  /** the people refreshed on a change: the `maxViewers` most recent within `viewerTtlMs` */
  maxViewers: number;
  viewerTtlMs: number;
}

export const HOME_DEFAULTS: HomeTuning = { settleMs: 1000, intervalMs: 600, maxViewers: 50, viewerTtlMs: 12 * 3_600_000 };

export interface HomeTabDeps {
  client: webApi.WebClient;
  tasks: Pick<TaskSource, 'openTasks' | 'onChange' | 'cause'>;
  state: StateStore;
  log: Logger;
  tuning?: Partial<HomeTuning>;
  now?: () => number;
}

/** what the Bolt listeners tell the Home tab */
export interface HomeSurface {
  /** `app_home_opened` for the Home tab; `eventId` lets a retried event publish nothing more */
  opened(user: string, eventId?: string): void;
  /** a press from the Home tab, answered with `notice` in the clicker's view */
  pressed(user: string, notice: string): void;
}

/** event ids remembered to recognise a retried app_home_opened (Slack retries within minutes) */
const EVENT_IDS = 1000;

interface Due {
  notice?: string;
}

export class HomeTab implements HomeSurface {
  private readonly t: HomeTuning;
  private readonly now: () => number;
  /** presses and openings: published before the refreshes */
  private readonly urgent = new Map<string, Due>();
  private readonly due = new Map<string, Due>();
  /** counts changes; `rendered` holds the count each person's view was last rendered at */
  private version = 0;
  private readonly rendered = new Map<string, number>();
  private readonly events = new Set<string>();
  private settle: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private nextAt = 0;
  private wake: (() => void) | undefined;
  private failing: string | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  private constructor(private readonly d: HomeTabDeps, private readonly viewers: HomeViewers) {
    this.t = { ...HOME_DEFAULTS, ...d.tuning };
    this.now = d.now ?? Date.now;
    this.unsubscribe = d.tasks.onChange?.(() => this.changed()) ?? (() => undefined);
  }

  static async open(d: HomeTabDeps): Promise<HomeTab> {
    const t = { ...HOME_DEFAULTS, ...d.tuning };
    const viewers = await HomeViewers.open(d.state, { max: t.maxViewers, ttlMs: t.viewerTtlMs }, d.now);
    return new HomeTab(d, viewers);
  }

  opened(user: string, eventId?: string): void {
    if (this.stopped || !SLACK_USER_ID.test(user)) return;
    if (eventId !== undefined) {
      if (this.events.has(eventId)) return;
      this.events.add(eventId);
      if (this.events.size > EVENT_IDS) this.events.delete(this.events.values().next().value!);
    }
    this.viewers.opened(user).catch((err: unknown) => this.d.log.warn({ err }, 'could not remember who opened the Slack Home tab; their view is published now but not refreshed on changes'));
    this.push(this.urgent, user, {});
  }

  pressed(user: string, notice: string): void {
    if (this.stopped || !SLACK_USER_ID.test(user)) return;
    this.push(this.urgent, user, { notice });
  }

  /** a task changed: everyone who opened the tab recently is refreshed once things settle */
  changed(): void {
    this.version += 1;
    if (this.stopped || this.settle) return;
    this.settle = setTimeout(() => {
      this.settle = undefined;
      for (const user of this.viewers.list()) {
        if (this.rendered.get(user) !== this.version && !this.urgent.has(user)) this.push(this.due, user, {});
      }
    }, this.t.settleMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.settle);
    this.wake?.();
    await this.pumping;
  }

  private push(queue: Map<string, Due>, user: string, due: Due): void {
    const had = queue.get(user);
    // a notice waiting to be shown is kept when the same person is due again without one
    queue.set(user, due.notice !== undefined ? due : (had ?? due));
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.stopped || (this.urgent.size === 0 && this.due.size === 0)) return;
    // what was queued while the last drain was finishing starts the next one
    this.pumping = this.drain().finally(() => {
      this.pumping = undefined;
      this.pump();
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (this.urgent.size > 0 || this.due.size > 0)) {
      const wait = this.nextAt - this.now();
      if (wait > 0) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      if (this.stopped) return;
      const queue = this.urgent.size > 0 ? this.urgent : this.due;
      const [user, due] = queue.entries().next().value!;
      queue.delete(user);
      this.due.delete(user);
      await this.publish(user, due);
    }
  }

  private async publish(user: string, due: Due): Promise<void> {
    this.nextAt = this.now() + this.t.intervalMs;
    // counted as current from the moment it is rendered: a refresh due meanwhile would show the same
    this.rendered.delete(user);
    this.rendered.set(user, this.version);
    if (this.rendered.size > this.t.maxViewers * 4) this.rendered.delete(this.rendered.keys().next().value!);
    try {
      const causeOf = this.d.tasks.cause?.bind(this.d.tasks);
      const view = homeView(this.d.tasks.openTasks(), user, { now: new Date(this.now()), ...(due.notice ? { notice: due.notice } : {}), ...(causeOf ? { causeOf } : {}) });
      await this.d.client.views.publish({ user_id: user, view });
      if (this.failing) this.d.log.info({ code: this.failing }, 'Slack Home tabs are published again');
      this.failing = undefined;
    } catch (err) {
      this.rendered.delete(user);
      const f = classify(err);
      const code = f.kind === 'rate_limited' ? 'rate_limited' : f.code;
      if (f.kind === 'rate_limited') {
        this.nextAt = this.now() + Math.max(f.retryAfterMs, this.t.intervalMs);
        // the same view again once Slack allows, ahead of the others
        if (!this.urgent.has(user)) this.urgent.set(user, due);
      }
      if (this.failing === code) return;
      this.failing = code;
      this.d.log.warn({ code, user }, whatFailed(f));
    }
  }
}

/** one line for the log: what failed and what to do (the same words for the same failure, logged once) */
function whatFailed(f: Failure): string {
  switch (f.kind) {
    case 'rate_limited':
      return 'Slack rate-limited views.publish; Home tabs are published again after its Retry-After';
    case 'transient':
      return 'Slack did not take a Home tab (views.publish); it is published again at the next change or opening of the tab';
    case 'token':
      return `could not publish a Slack Home tab: ${fixFor(f.code)}`;
    default:
      return `Slack refused a Home tab (views.publish: ${f.code}); check that the app's Home tab is enabled (manifest.yml features.app_home, then reinstall)`;
  }
}
