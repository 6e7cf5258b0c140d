/**
 * The System Log backfill (SPEC §3): Okta delivers an event hook at least once but retries it only once,
 * never replays, stops at the org's daily hook limit, and cannot deliver while the bot is down. So at
 * start and every few minutes the governance event types are read back from `GET /api/v1/logs` and fed to
 * the intake like a hook delivery: a lost event is stored and carded, one that came both ways is stored
 * and posted once (dedup on the Okta `uuid`).
 *
 * `since` is the mark minus an overlap window. The mark is the newest point the backfill has covered:
 * the newest `published` it stored, or Okta's clock (Date header) when the last complete run began,
 * whichever is later. Using the run time too keeps a quiet org from re-reading the same old events every
 * few minutes. The mark moves only after a run has stored every page of every query.
 *
 * With `pam` (OKTA_SYSTEM_LOG_PAM=1) one more query reads Okta Privileged Access's audit events
 * (`eventType sw "pam."`, event-types.ts): the System Log is where OPA keeps them, it has no auditsV2. The
 * first run that asks for them reads `firstLookbackMs` back for them, not from the governance mark, so
 * turning the setting on later still brings the last day's OPA activity.
 */
import type { Logger } from 'pino';
import type { HttpClient } from '../http-client/http-client.ts';
import type { Intake } from '../intake/intake.ts';
import type { Metrics } from '../metrics.ts';
import { ExecutionLog } from '../pollers/execution-log.ts';
import { ScheduledPoller } from '../pollers/scheduled-poller.ts';
import type { RunTrigger } from '../pollers/run-entry.ts';
import type { StateDoc, StateStore } from '../store/state-store.ts';
import { GOVERNANCE_EVENT_TYPES, PAM_PREFIX } from './event-types.ts';
import type { OktaConnection } from './okta-auth.ts';
import { SYSTEM_LOG_MAX_LIMIT, SystemLogClient } from './system-log-client.ts';
import { MAX_FILTER_LENGTH, eventTypeFilters, eventTypePrefixFilter } from './system-log-filter.ts';
import { backfillRunLine, type BackfillRunEntry } from './system-log-run.ts';

const MINUTE = 60_000;
/** Okta refuses `since` more than 180 days back ("The since parameter is over 180 days prior") */
const MAX_LOOKBACK_MS = 179 * 24 * 60 * MINUTE;
/** a loop guard only: a real run ends at the first empty page */
const MAX_PAGES_PER_QUERY = 10_000;

export interface SystemLogBackfillOptions {
  okta: OktaConnection;
  intake: Pick<Intake, 'receiveEvents'>;
  /** where the checkpoint and the run log are kept */
  state: StateStore;
  log: Logger;
  metrics: Metrics;
  http: HttpClient;
  /** default every 5 minutes */
  cron?: string;
  /** read back this far before the mark (default 10 minutes): events Okta persisted late */
  overlapMs?: number;
  /** first run, no mark yet: how far back (default 24 hours) */
  firstLookbackMs?: number;
  /** events per page, 1..1000 (default 1000) */
  limit?: number;
  maxFilterLength?: number;
  eventTypes?: readonly string[];
  /** also read Okta Privileged Access audit events (`pam.*`), OKTA_SYSTEM_LOG_PAM=1 */
  pam?: boolean;
  runAtStart?: boolean;
  now?: () => number;
}

interface BackfillState {
  /** ISO time the backfill has covered up to */
  mark?: string;
  lastRunAt?: string;
  /** the last complete run read the pam.* events too (the mark covers them) */
  pam?: boolean;
}

export interface BackfillStatus {
  running: boolean;
  mark?: string;
  lastRun?: BackfillRunEntry;
  recentRuns: readonly BackfillRunEntry[];
  /** cron ticks that started a run, and ticks skipped because the previous run was still going */
  scheduledRuns: number;
  skippedTicks: number;
  nextRun?: string;
}

export class SystemLogBackfill extends ScheduledPoller<BackfillRunEntry> {
  private readonly state: StateDoc<BackfillState>;
  private readonly runs: ExecutionLog<BackfillRunEntry>;
  private readonly client: SystemLogClient;
  private readonly filters: string[];
  private readonly pamFilter: string | undefined;
  private readonly now: () => number;

  constructor(private readonly o: SystemLogBackfillOptions) {
    const now = o.now ?? Date.now;
    const runs = new ExecutionLog<BackfillRunEntry>(o.state, 'system-log-runs');
    super({ name: 'system_log', cron: o.cron ?? '*/5 * * * *', log: o.log, metrics: o.metrics, runs, line: backfillRunLine, runAtStart: o.runAtStart !== false, now });
    this.now = now;
    this.runs = runs;
    this.state = o.state.doc<BackfillState>('system-log-backfill', {});
    this.client = new SystemLogClient(o.http, o.okta);
    this.filters = eventTypeFilters(o.eventTypes ?? GOVERNANCE_EVENT_TYPES, o.maxFilterLength ?? MAX_FILTER_LENGTH);
    this.pamFilter = o.pam === true ? eventTypePrefixFilter(PAM_PREFIX) : undefined;
  }

  status(): BackfillStatus {
    const next = this.schedule.nextRun();
    const last = this.runs.last;
    return {
      running: this.running,
      ...(this.state.data.mark ? { mark: this.state.data.mark } : {}),
      ...(last ? { lastRun: last } : {}),
      recentRuns: this.runs.recent(10),
      scheduledRuns: this.schedule.scheduledRuns,
      skippedTicks: this.schedule.skippedTicks,
      ...(next ? { nextRun: next.toISOString() } : {}),
    };
  }

  protected async openState(): Promise<void> {
    await Promise.all([this.state.open(), this.runs.open()]);
  }

  protected newEntry(trigger: RunTrigger, startedAt: string): BackfillRunEntry {
    return { poller: 'system_log', trigger, startedAt, durationMs: 0, since: '', queries: 0, pages: 0, read: 0, stored: 0, duplicates: 0 };
  }

  protected work(entry: BackfillRunEntry, started: number): Promise<void> {
    return this.backfill(entry, started);
  }

  private async backfill(entry: BackfillRunEntry, started: number): Promise<void> {
    const since = this.since(started);
    entry.since = since.toISOString();
    const limit = Math.min(SYSTEM_LOG_MAX_LIMIT, Math.max(1, this.o.limit ?? SYSTEM_LOG_MAX_LIMIT));
    let covered = this.state.data.mark ? Date.parse(this.state.data.mark) : 0;
    let runBegan: number | undefined;
    const queries = this.filters.map((filter) => ({ filter, since }));
    if (this.pamFilter !== undefined) {
      queries.push({ filter: this.pamFilter, since: this.state.data.pam === true ? since : this.since(started, true) });
    }
    for (const { filter, since: from } of queries) {
      entry.queries++;
      let url = this.client.firstPageUrl(from, filter, limit);
      for (let pages = 0; ; pages++) {
        if (pages >= MAX_PAGES_PER_QUERY) throw new Error(`Okta System Log: still not at the end after ${pages} pages; the next run goes on`);
        const page = await this.client.page(url);
        runBegan ??= page.serverTime ?? started;
        entry.pages++;
        entry.read += page.events.length;
        if (page.events.length === 0) break;
        const result = await this.o.intake.receiveEvents(page.events, 'system_log');
        entry.stored += result.stored.length;
        entry.duplicates += result.duplicates;
        covered = Math.max(covered, newestPublished(page.events));
        if (page.next === undefined || page.next === url) break;
        url = page.next;
      }
    }
    const mark = new Date(Math.max(covered, runBegan ?? started)).toISOString();
    await this.state.update((d) => {
      d.mark = mark;
      d.lastRunAt = new Date(this.now()).toISOString();
      if (this.pamFilter !== undefined) d.pam = true;
      else delete d.pam;
    });
  }

  /** from the mark (minus the overlap); `fresh`: as on a first run, for a query the mark does not cover yet */
  private since(now: number, fresh = false): Date {
    const mark = this.state.data.mark && !fresh ? Date.parse(this.state.data.mark) : NaN;
    const from = Number.isNaN(mark) ? now - (this.o.firstLookbackMs ?? 24 * 60 * MINUTE) : mark - (this.o.overlapMs ?? 10 * MINUTE);
    return new Date(Math.max(from, now - MAX_LOOKBACK_MS));
  }
}

function newestPublished(events: readonly unknown[]): number {
  let newest = 0;
  for (const e of events) {
    const p = typeof e === 'object' && e !== null ? (e as { published?: unknown }).published : undefined;
    const t = typeof p === 'string' ? Date.parse(p) : NaN;
    if (!Number.isNaN(t) && t > newest) newest = t;
  }
  return newest;
}
