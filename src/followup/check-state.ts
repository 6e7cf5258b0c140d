/**
 * What the background checks in Okta keep with each task, and how a check's answer changes it. Pure: the
 * work queue stores the result, okta-checks.ts decides when to ask.
 *
 * - Diagnosis: an open or claimed task is checked once when it opens (why did Okta skip it?). "Could not
 *   tell" is retried with a growing delay (and at every start); a found cause is kept and shown on the card.
 * - Drift: a task marked done (by a person, or closed by a later SUCCESS) is checked again after each
 *   VERIFY_AFTER delay, counted from when it was done. Gone: the check is recorded and the next delay waits.
 *   Could not tell: retried later. Back: the task reopens. Reopened by a person: no more checks; done
 *   again: the delays start over.
 */
import type { CardLink } from '../cards/card.ts';
import type { AccessCheck, AccessGone, AccessPresent, Cause } from './access-check.ts';
import { explainPresent } from './cause-text.ts';
import type { ManualTask } from './task.ts';
import type { StoredTask } from './task-file.ts';

export interface Diagnosis {
  /** when Okta was asked */
  at: string;
  access: 'present' | 'gone';
  /** gone: because Okta no longer has the user at all */
  userDeleted?: true;
  /** present: why Okta skipped it (with Admin Console links) */
  why?: string;
  /** present: the next step that follows from the cause */
  next?: string;
  /** present: the objects named, in the Okta Admin Console */
  links?: CardLink[];
  /** present: what was found */
  cause?: Cause;
}

export interface DiagnosisRetry {
  attempts: number;
  retryAt: string;
  /** why the last try could not tell */
  why: string;
}

export interface DriftState {
  /** when the task was done: the VERIFY_AFTER delays count from here */
  from: string;
  /** how many of the delays have been checked ("gone") */
  checked: number;
  /** a check that could not tell is tried again then */
  retryAt?: string;
  attempts?: number;
  last?: { at: string; result: 'gone' | 'unknown'; why?: string };
}

/** waits after "could not tell": 1 min, 5 min, 30 min, 2 h, then every 6 h */
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

export function retryDelayMs(attempts: number): number {
  return RETRY_MS[Math.min(Math.max(attempts, 1), RETRY_MS.length) - 1]!;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** an open or claimed task whose cause is not known yet, and whose retry (if any) is due */
export function diagnosisDue(e: StoredTask, now: number, ignoreRetryAt = false): boolean {
  if (e.task.state === 'done' || e.diagnosis) return false;
  return !e.diagnosisRetry || ignoreRetryAt || Date.parse(e.diagnosisRetry.retryAt) <= now;
}

/** when the next drift check of a done task is due (epoch ms), undefined when none is owed */
export function driftDueAt(e: StoredTask, delays: readonly number[]): number | undefined {
  const d = e.drift;
  if (e.task.state !== 'done' || !d) return undefined;
  if (d.retryAt) return Date.parse(d.retryAt);
  const delay = delays[d.checked];
  return delay === undefined ? undefined : Date.parse(d.from) + delay;
}

/** the earliest time any task needs a check (for the timer), undefined when nothing is owed */
export function nextDueAt(entries: readonly StoredTask[], delays: readonly number[]): number | undefined {
  let next: number | undefined;
  for (const e of entries) {
    const diag = e.task.state !== 'done' && !e.diagnosis ? (e.diagnosisRetry ? Date.parse(e.diagnosisRetry.retryAt) : 0) : undefined;
    const drift = driftDueAt(e, delays);
    for (const t of [diag, drift]) if (t !== undefined && !Number.isNaN(t) && (next === undefined || t < next)) next = t;
  }
  return next;
}

export function diagnosisOf(check: AccessPresent | AccessGone, task: ManualTask, orgUrl: string, at: string): Diagnosis {
  if (check.access === 'gone') return { at, access: 'gone', ...(check.userDeleted ? { userDeleted: true } : {}) };
  const text = explainPresent(check, task, orgUrl);
  return { at, access: 'present', why: text.why, next: text.next, links: text.links, cause: check.cause };
}

/**
 * A check's answer kept with the task: a found cause (or "gone") replaces the diagnosis; "could not tell"
 * keeps what was known and, when nothing was, schedules another try.
 */
export function withDiagnosis(e: StoredTask, check: AccessCheck, orgUrl: string, now: number): StoredTask {
  if (check.access !== 'unknown') {
    const next: StoredTask = { ...e, diagnosis: diagnosisOf(check, e.task, orgUrl, iso(now)) };
    delete next.diagnosisRetry;
    return next;
  }
  if (e.diagnosis) return e;
  const attempts = (e.diagnosisRetry?.attempts ?? 0) + 1;
  return { ...e, diagnosisRetry: { attempts, retryAt: iso(now + retryDelayMs(attempts)), why: check.why } };
}

/** the drift schedule after a task changed state: started when it became done, dropped when it was reopened */
export function driftAfter(prev: ManualTask, next: ManualTask, doneAt: string, current: DriftState | undefined): DriftState | undefined {
  if (next.state !== 'done') return undefined;
  if (prev.state === 'done') return current;
  return { from: doneAt, checked: 0 };
}

export type DriftOutcome = { entry: StoredTask; cameBack: false } | { entry: StoredTask; cameBack: true; found: AccessPresent };

/** a drift check's answer: gone → next delay; could not tell → retry later; back → the task reopens */
export function afterDriftCheck(e: StoredTask, check: AccessCheck, delays: readonly number[], orgUrl: string, now: number): DriftOutcome {
  const d = e.drift!;
  const at = iso(now);
  if (check.access === 'unknown') {
    const attempts = (d.attempts ?? 0) + 1;
    return { entry: { ...e, drift: { ...d, attempts, retryAt: iso(now + retryDelayMs(attempts)), last: { at, result: 'unknown', why: check.why } } }, cameBack: false };
  }
  if (check.access === 'gone') {
    // every delay already past is covered by this one check
    const from = Date.parse(d.from);
    const checked = Math.max(d.checked + 1, delays.filter((ms) => from + ms <= now).length);
    const drift: DriftState = { from: d.from, checked, last: { at, result: 'gone' } };
    return { entry: { ...e, drift }, cameBack: false };
  }
  const task: ManualTask = { ...e.task, state: 'open', updatedAt: at };
  delete task.owner;
  delete task.ownedAt;
  delete task.closedByOkta;
  const entry: StoredTask = { ...e, task, diagnosis: diagnosisOf(check, task, orgUrl, at) };
  delete entry.drift;
  delete entry.diagnosisRetry;
  return { entry, cameBack: true, found: check };
}
