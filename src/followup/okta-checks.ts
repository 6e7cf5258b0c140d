/**
 * The background checks in Okta (issue 12): why Okta skipped a task (diagnosed when the task opens, its
 * card edited in place) and drift (a done task checked again after each VERIFY_AFTER delay, reopened when
 * the access is back). What is owed comes from the task file (check-state.ts), so a restart, a crash or an
 * Okta outage only delays a check: at every start whatever is pending is done first.
 *
 * Paced: one check at a time, oldest first, and OktaReader allows two calls in flight, so a Verify press
 * always gets through beside it; the org's group rules are read once for many checks (okta-api.ts).
 * One unref'd timer wakes the loop for the next due check (at most an hour ahead: a changed clock is
 * noticed within the hour).
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import type { OktaApi } from '../okta/okta-api.ts';
import type { AuditFile } from './audit-file.ts';
import type { AccessCheck } from './access-check.ts';
import { cameBackText } from './cause-text.ts';
import { afterDriftCheck, diagnosisDue, driftDueAt, nextDueAt, withDiagnosis } from './check-state.ts';
import { BOT_ACTOR } from './task.ts';
import { driftReplyCard, taskCard } from './task-card.ts';
import type { StoredTask, TaskFile } from './task-file.ts';
import { checkAccess } from './verify-access.ts';

export interface OktaChecksDeps {
  api: OktaApi;
  tasks: TaskFile;
  trail: AuditFile;
  publish: (cards: Card[]) => void;
  /** the work queue's one-at-a-time order for changes to tasks */
  serial: <T>(run: () => Promise<T>) => Promise<T>;
  /** config.verifyAfterMs; empty: no drift checks */
  verifyAfterMs: readonly number[];
  now: () => number;
  log: Logger;
  /** false on a replica that does not lead: the background checks run on the leading one only (default true) */
  leading?: () => boolean;
}

const MAX_TIMER_MS = 3_600_000;
/** diagnoses kept per write at most, and the longest a found cause waits for its batch */
const BATCH = 25;
const BATCH_MS = 3_000;
const MIN_TIMER_MS = 1_000;

/** an edit of the task's card if it was posted: a task reconciled at start gets no new card (routing rule) */
const cardEdit = (e: StoredTask): Card => ({ ...taskCard(e), updateOnly: true });

export class OktaChecks {
  private running: Promise<void> | undefined;
  private again = false;
  private first = true;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: OktaChecksDeps) {}

  /** run the due checks soon (a task opened, a task was done, the bot started) */
  kick(): void {
    if (this.stopped || this.d.leading?.() === false) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  /** runs everything due now and resolves when done (tests drive the clock with this) */
  async runDue(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Verify pressed: a check now, kept as the task's diagnosis when it found something */
  async verifyNow(taskId: string): Promise<{ check: AccessCheck; entry?: StoredTask }> {
    const before = this.d.tasks.get(taskId)!;
    const check = await checkAccess(this.d.api, before.task);
    if (check.access === 'unknown') return { check };
    const entry = await this.d.serial(async () => {
      const e = this.d.tasks.get(taskId);
      if (!e) return undefined;
      const next = withDiagnosis(e, check, this.d.api.orgUrl, this.d.now());
      await this.d.tasks.put(next);
      this.d.publish([cardEdit(next)]);
      return next;
    });
    return { check, ...(entry ? { entry } : {}) };
  }

  /** no new checks; waits up to `budgetMs` for the one in flight (Okta may be stalled: it is redone at the next start) */
  async stop(budgetMs = 2000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (err) {
        this.d.log.error({ err }, 'background checks in Okta failed; they are tried again later');
      }
    } while (this.again && !this.stopped);
  }

  private async runOnce(): Promise<void> {
    const now = this.d.now();
    // at start every pending diagnosis is tried at once, whatever its retry time: Okta may be back
    const ignoreRetry = this.first;
    this.first = false;
    const entries = this.d.tasks.all().sort((a, b) => a.task.openedAt.localeCompare(b.task.openedAt));
    const diagnoses = entries.filter((e) => diagnosisDue(e, now, ignoreRetry)).map((e) => e.task.id);
    const drifts = entries.filter((e) => (driftDueAt(e, this.d.verifyAfterMs) ?? Infinity) <= now).map((e) => e.task.id);
    // the task file is rewritten whole per write: a campaign's hundreds of diagnoses go in batches
    let batch: Array<{ id: string; check: AccessCheck }> = [];
    let since = Date.now();
    for (const id of diagnoses) {
      if (this.stopped) return;
      const found = await this.diagnose(id);
      if (found) batch.push(found);
      if (batch.length >= BATCH || (batch.length > 0 && Date.now() - since >= BATCH_MS)) {
        await this.keepDiagnoses(batch);
        batch = [];
        since = Date.now();
      }
    }
    if (batch.length > 0 && !this.stopped) await this.keepDiagnoses(batch);
    for (const id of drifts) {
      if (this.stopped) return;
      await this.recheck(id);
    }
  }

  private async diagnose(id: string): Promise<{ id: string; check: AccessCheck } | undefined> {
    const before = this.d.tasks.get(id);
    if (!before || !diagnosisDue(before, this.d.now(), true)) return undefined;
    const check = await checkAccess(this.d.api, before.task);
    if (check.access === 'unknown') this.d.log.info({ task: id, why: check.why }, 'could not tell why Okta skipped the task yet; trying again later');
    return this.stopped ? undefined : { id, check };
  }

  /** stores a batch of diagnoses in one write and edits their cards */
  private keepDiagnoses(batch: ReadonlyArray<{ id: string; check: AccessCheck }>): Promise<void> {
    return this.d.serial(async () => {
      const now = this.d.now();
      const changed: StoredTask[] = [];
      for (const { id, check } of batch) {
        const e = this.d.tasks.get(id);
        // a Verify press may have found the cause meanwhile
        if (e && !e.diagnosis) changed.push(withDiagnosis(e, check, this.d.api.orgUrl, now));
      }
      await this.d.tasks.putAll(changed);
      const found = changed.filter((e) => e.diagnosis);
      if (found.length > 0) this.d.publish(found.map(cardEdit));
    });
  }

  private async recheck(id: string): Promise<void> {
    const before = this.d.tasks.get(id);
    const due = before ? driftDueAt(before, this.d.verifyAfterMs) : undefined;
    if (!before?.drift || due === undefined || due > this.d.now()) return;
    const check = await checkAccess(this.d.api, before.task);
    if (this.stopped) return;
    await this.d.serial(async () => {
      const e = this.d.tasks.get(id);
      // reopened by a person, or done again (a new schedule) while Okta was asked: this answer is stale
      if (!e?.drift || e.task.state !== 'done' || e.drift.from !== before.drift!.from) return;
      const now = this.d.now();
      const out = afterDriftCheck(e, check, this.d.verifyAfterMs, this.d.api.orgUrl, now);
      await this.d.tasks.put(out.entry);
      const at = new Date(now).toISOString();
      if (out.cameBack) {
        const what = cameBackText(out.found, out.entry.task);
        await this.d.trail.append({ at, taskId: id, action: 'reopen', actor: BOT_ACTOR, result: 'ok', detail: what });
        this.d.log.warn({ task: id }, 'access removed by hand came back: task reopened');
        this.d.publish([cardEdit(out.entry), driftReplyCard(out.entry, what, at)]);
        return;
      }
      const detail = check.access === 'unknown' ? `drift check could not tell: ${check.why}` : 'drift check: still gone';
      await this.d.trail.append({ at, taskId: id, action: 'verify', actor: BOT_ACTOR, result: check.access === 'unknown' ? 'error' : 'ok', detail });
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.kick();
      return;
    }
    const next = nextDueAt(this.d.tasks.all(), this.d.verifyAfterMs);
    if (next === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, next - this.d.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
