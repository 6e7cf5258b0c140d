/**
 * The manual-remediation work queue (SPEC §4, §5, issue 4). Intake tells it about stored remediations:
 * one it could not carry out opens a task, a later SUCCESS for the same item closes it. The chat adapters
 * hand it button presses: it checks the clicker against OIG_ALLOWED_USERS, applies the press, stores it
 * in the audit trail, and republishes the task's card so the message is edited in place. With the Okta API it
 * also asks Okta why each new task was skipped and checks done tasks again for drift (okta-checks.ts).
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import { manualTaskId } from '../cards/keys.ts';
import { needsManualRemediation, type EventRecord, type RemediationRecord } from '../domain/records.ts';
import type { OktaApi } from '../okta/okta-api.ts';
import { AuditFile } from './audit-file.ts';
import { driftAfter } from './check-state.ts';
import { verifyAnswer } from './cause-text.ts';
import { OktaChecks } from './okta-checks.ts';
import { isSuccess, taskFromRecord } from './open-task.ts';
import { isAllowed } from './permissions.ts';
import type { Actor, ManualTask, TaskActionName, TaskAudit, TaskSource } from './task.ts';
import { causeView, taskCard, verifyReplyCard } from './task-card.ts';
import type { SkipCauseView } from '../cards/manual-remediation-card.ts';
import { actorName } from './task-rules.ts';
import { TaskFile, type StoredTask } from './task-file.ts';
import type { StateStore } from '../store/state-store.ts';
import { transition } from './task-rules.ts';
import { VERIFY_NOT_CONFIGURED } from './verify-access.ts';

export interface WorkQueueDeps {
  /** where the tasks and their audit trail are kept */
  state: StateStore;
  /** config.allowedUsers (lower-cased) */
  allowedUsers: readonly string[];
  /** hands cards to the chat sinks; a card with a known key replaces that message */
  publish: (cards: Card[]) => void;
  /** undefined without the Okta API (OKTA_ORG_URL and a credential): verify then says what to configure */
  okta?: OktaApi;
  /** VERIFY_AFTER: delays after which a done task is checked again (drift); needs `okta` */
  verifyAfterMs?: readonly number[];
  /** done tasks are forgotten after this many days (default 400) */
  retentionDays?: number;
  now?: () => number;
  log: Logger;
  /** whether this replica leads (background checks run there only); default: always */
  leading?: () => boolean;
}

export interface PressOutcome {
  result: TaskAudit['result'];
  /** what to tell the clicker, privately */
  message: string;
  task?: ManualTask;
  /** verify found the access gone and the task is not done: offer "mark done" */
  offerDone?: boolean;
}

/** a task id longer than this cannot be ours (ids are `item:<campaignItemId>`): a forged value */
const MAX_ID = 300;

export class WorkQueue implements TaskSource {
  /** presses and intake changes run one after another, so two clicks never both see an open task */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  /** the background checks in Okta; undefined without the Okta API */
  readonly checks: OktaChecks | undefined;
  private readonly listeners = new Set<(tasks: readonly ManualTask[]) => void>();

  private constructor(
    private readonly d: WorkQueueDeps,
    private readonly tasks: TaskFile,
    private readonly trail: AuditFile,
  ) {
    this.now = d.now ?? Date.now;
    this.checks = d.okta
      ? new OktaChecks({
          api: d.okta,
          tasks,
          trail,
          // every visible change the checks store (a diagnosis, a drift reopen) comes with an edit of the
          // task's card, whose buttons carry the task id (task-card.ts): the change is told from there
          publish: (cards) => {
            d.publish(cards);
            this.changed(cards.flatMap((c) => (c.kind === 'manual_remediation' && c.actions?.[0] ? [c.actions[0].value] : [])));
          },
          serial: (run) => this.serial(run),
          verifyAfterMs: d.verifyAfterMs ?? [],
          now: this.now,
          log: d.log,
          ...(d.leading ? { leading: d.leading } : {}),
        })
      : undefined;
  }

  static async open(d: WorkQueueDeps): Promise<WorkQueue> {
    const [tasks, trail] = await Promise.all([TaskFile.open(d.state), AuditFile.open(d.state)]);
    const q = new WorkQueue(d, tasks, trail);
    const pruned = await tasks.prune(d.retentionDays ?? 400, q.now());
    if (pruned > 0) d.log.info({ pruned }, 'forgot manual-remediation tasks done long ago');
    return q;
  }

  /** open and claimed tasks, oldest first */
  openTasks(): ManualTask[] {
    return this.tasks.all().map((e) => e.task).filter((t) => t.state !== 'done').sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  get(id: string): ManualTask | undefined {
    return this.tasks.get(id)?.task;
  }

  cause(taskId: string): SkipCauseView | undefined {
    const entry = this.tasks.get(taskId);
    return entry ? causeView(entry) : undefined;
  }

  /** the task's card as it stands now (what a chat shows after a press), or undefined for an unknown id */
  card(taskId: string): Card | undefined {
    const entry = this.tasks.get(taskId.slice(0, MAX_ID));
    return entry ? taskCard(entry) : undefined;
  }

  audit(taskId?: string): TaskAudit[] {
    return this.trail.list(taskId);
  }

  /**
   * `listener` hears of every change this process stores (a press, routing opening or closing a task, a
   * diagnosis, a drift reopen), with the tasks as they are now. It runs synchronously and must not throw
   * or wait (the Slack Home tab only marks its views due). Returns the unsubscribe.
   */
  onChange(listener: (tasks: readonly ManualTask[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private changed(ids: readonly string[]): void {
    if (ids.length === 0 || this.listeners.size === 0) return;
    const tasks = [...new Set(ids)].flatMap((id) => this.tasks.get(id)?.task ?? []);
    for (const listener of this.listeners) {
      try {
        listener(tasks);
      } catch (err) {
        this.d.log.warn({ err }, 'a listener of task changes failed; the change itself is stored');
      }
    }
  }

  /** the intake listener: newly stored records, already durable */
  onStored(records: readonly EventRecord[]): Promise<void> {
    const remediations = records.filter((r): r is RemediationRecord => r.kind === 'remediation');
    if (remediations.length === 0) return Promise.resolve();
    return this.serial(async () => {
      for (const r of remediations) await this.take(r);
    }).finally(() => this.checks?.kick());
  }

  /** stops the background checks (what they still owe is on disk and done at the next start) */
  async stop(): Promise<void> {
    await this.checks?.stop();
  }

  /**
   * Opens a task for every stored remediation that needs manual work, has none, and was not followed by a
   * success for its item: what a data folder from before durable routing may lack. No card is posted for
   * them (they may be old); they are in /oig skipped with their buttons. Resolves with how many opened.
   */
  reconcile(remediations: readonly RemediationRecord[]): Promise<number> {
    return this.serial(async () => {
      const latestSuccess = new Map<string, string>();
      for (const r of remediations) {
        const id = manualTaskId(r);
        if (isSuccess(r) && r.at > (latestSuccess.get(id) ?? '')) latestSuccess.set(id, r.at);
      }
      const missing = new Map<string, RemediationRecord>();
      for (const r of [...remediations].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
        const id = manualTaskId(r);
        if (!needsManualRemediation(r) || this.tasks.get(id) || missing.has(id) || (latestSuccess.get(id) ?? '') > r.at) continue;
        missing.set(id, r);
      }
      await this.tasks.putAll([...missing.values()].map((r) => ({ task: taskFromRecord(r), record: r })));
      this.changed([...missing.keys()]);
      return missing.size;
    }).finally(() => {
      // routing reconciles at start, once the chats are wired: the time to begin what the checks owe
      this.checks?.kick();
    });
  }

  private async take(r: RemediationRecord): Promise<void> {
    const id = manualTaskId(r);
    const entry = this.tasks.get(id);
    if (needsManualRemediation(r)) {
      // routing runs this before it builds cards, and a task's card shows where the task stands
      // (card-dispatcher.ts): a repeat for a known item changes nothing here
      if (!entry) {
        await this.tasks.put({ task: taskFromRecord(r), record: r });
        this.changed([id]);
      }
      return;
    }
    // only a SUCCESS newer than the skip closes it: Okta may deliver an old event late
    if (!entry || entry.task.state === 'done' || !isSuccess(r) || Date.parse(r.at) < Date.parse(entry.task.openedAt)) return;
    const closed: ManualTask = { ...entry.task, state: 'done', closedByOkta: true, ownedAt: r.at, updatedAt: new Date(this.now()).toISOString(), openedBy: r.id };
    delete closed.owner;
    // drift: the delays count from when Okta succeeded
    const drift = driftAfter(entry.task, closed, r.at, entry.drift);
    const next = { ...entry, task: closed, ...(drift ? { drift } : {}) };
    await this.tasks.put(next);
    this.d.log.info({ task: id, event: r.id }, 'a later remediation succeeded: manual task closed');
    this.d.publish([taskCard(next)]);
    this.changed([id]);
  }

  /** one button press; never throws for a bad task id or a refused clicker */
  async press(action: TaskActionName, rawId: string, actor: Actor): Promise<PressOutcome> {
    const taskId = rawId.slice(0, MAX_ID);
    if (!isAllowed(this.d.allowedUsers, actor)) {
      await this.record(taskId, action, actor, 'refused');
      return { result: 'refused', message: 'You are not allowed to act on manual-remediation tasks. Ask an admin to add you to OIG_ALLOWED_USERS.' };
    }
    if (rawId.length > MAX_ID || !this.tasks.get(taskId)) {
      await this.record(taskId, action, actor, 'unknown_task');
      return { result: 'unknown_task', message: 'This button points to a task the bot does not know (it may have been removed). Nothing was changed.' };
    }
    if (action === 'verify') return this.verify(taskId, actor);
    return this.serial(async () => {
      const at = new Date(this.now()).toISOString();
      let t: ReturnType<typeof transition> | undefined;
      let drift: StoredTask['drift'];
      // decided on the task as stored now: another replica's press a moment ago counts (task-file.ts)
      const stored = await this.tasks.change(taskId, (entry) => {
        t = transition(entry.task, action, actor, at);
        if (!t.next) return undefined;
        // done: drift checks start; reopened: they stop; done again later: they start over
        drift = driftAfter(entry.task, t.next, at, entry.drift);
        const next = { ...entry, task: t.next };
        if (drift) next.drift = drift;
        else delete next.drift;
        return next;
      });
      if (!t || !stored) return { result: 'unknown_task', message: 'This button points to a task the bot does not know (it may have been removed). Nothing was changed.' };
      if (t.next) {
        this.d.publish([taskCard(stored)]);
        this.changed([taskId]);
        if (drift) this.checks?.kick();
      }
      await this.record(taskId, action, actor, t.result, t.result === 'ok' ? undefined : t.message);
      return { result: t.result, message: t.message, task: stored.task };
    });
  }

  private async verify(taskId: string, actor: Actor): Promise<PressOutcome> {
    const task = this.tasks.get(taskId)!.task;
    if (!this.d.okta || !this.checks) {
      await this.record(taskId, 'verify', actor, 'error', 'Okta API not configured');
      return { result: 'error', message: VERIFY_NOT_CONFIGURED, task };
    }
    const { check, entry } = await this.checks.verifyNow(taskId);
    const text = verifyAnswer(check, task, this.d.okta.orgUrl);
    if (check.access === 'unknown') {
      // messages of failed calls name the call and status, never the credential
      this.d.log.warn({ task: taskId, why: check.why }, 'verify in Okta could not tell');
      await this.record(taskId, 'verify', actor, 'error', check.why);
      return { result: 'error', message: text, task };
    }
    await this.record(taskId, 'verify', actor, 'ok', check.access);
    const at = new Date(this.now()).toISOString();
    const now = entry ?? this.tasks.get(taskId)!;
    // the thread reply carries the Admin Console links as links, not as URLs in its text
    this.d.publish([verifyReplyCard(now, actorName(actor), verifyAnswer(check, task, this.d.okta.orgUrl, false), check.access === 'gone', at)]);
    return { result: 'ok', message: text, task: now.task, ...(check.access === 'gone' && now.task.state !== 'done' ? { offerDone: true } : {}) };
  }

  private record(taskId: string, action: TaskActionName, actor: Actor, result: TaskAudit['result'], detail?: string): Promise<void> {
    const entry: TaskAudit = { at: new Date(this.now()).toISOString(), taskId, action, actor, result, ...(detail ? { detail } : {}) };
    return this.trail.append(entry);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const p = this.chain.then(run);
    this.chain = p.catch(() => undefined);
    return p;
  }
}
