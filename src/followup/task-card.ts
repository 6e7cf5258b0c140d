/** A task's card, rebuilt with where the task stands now: same key as the first card, so it is edited in place. */
import type { Card, CardAction } from '../cards/card.ts';
import { actionsFor, buildManualRemediationCard, type ManualTaskView, type SkipCauseView } from '../cards/manual-remediation-card.ts';
import type { ManualTask } from './task.ts';
import type { StoredTask } from './task-file.ts';
import { actorName } from './task-rules.ts';

export function taskView(entry: StoredTask): ManualTaskView {
  return viewOf(entry.task);
}

/** where a task stands, as its card words it */
export function viewOf(t: ManualTask): ManualTaskView {
  if (t.state === 'open') return { state: 'open' };
  const owner = t.closedByOkta ? 'Okta (a later remediation succeeded)' : actorName(t.owner);
  return { state: t.state, owner, ...(t.ownedAt ? { at: t.ownedAt } : {}) };
}

/** what the last check in Okta found, as the card shows it */
export function causeView(entry: StoredTask): SkipCauseView | undefined {
  const d = entry.diagnosis;
  if (!d) return undefined;
  if (d.access === 'gone') return { at: d.at, gone: true, ...(d.userDeleted ? { userDeleted: true } : {}) };
  return { at: d.at, ...(d.why ? { why: d.why } : {}), ...(d.next ? { next: d.next } : {}), ...(d.links?.length ? { links: d.links } : {}) };
}

export function taskCard(entry: StoredTask): Card {
  const cause = causeView(entry);
  return buildManualRemediationCard(entry.record, { task: taskView(entry), ...(cause ? { cause } : {}) });
}

/**
 * The buttons of a task as its card shows them now, for places that list tasks without their card
 * (`/oig skipped`): the same ids, labels and values, so a press there is the same press.
 */
export function taskActions(task: Pick<ManualTask, 'id' | 'state'>): CardAction[] {
  return actionsFor(task.state, task.id);
}

/**
 * The answer to "Verify in Okta", as a reply in the task card's thread (issue: "answer in the thread"), so
 * the whole team sees what Okta said, with a "Mark done" button when the access is gone.
 */
export function verifyReplyCard(entry: StoredTask, who: string, text: string, gone: boolean, at: string): Card {
  const parent = taskCard(entry);
  return {
    kind: 'manual_remediation',
    family: 'MANUAL',
    severity: gone ? 'success' : 'warning',
    title: `Checked in Okta by ${who}`,
    facts: [],
    notes: [text],
    ...(!gone && entry.diagnosis?.links?.length ? { links: entry.diagnosis.links } : {}),
    ...(gone && entry.task.state !== 'done' ? { actions: [{ id: 'oig_manual_done' as const, label: 'Mark done', value: entry.task.id, style: 'primary' as const }] } : {}),
    ...(parent.key ? { threadKey: parent.key } : {}),
    eventIds: [],
    at,
  };
}

/**
 * Drift: access removed by hand came back, so the task was reopened. A reply in the task card's thread says
 * what came back and why (the cause found now), with the buttons of an open task.
 */
export function driftReplyCard(entry: StoredTask, cameBack: string, at: string): Card {
  const parent = taskCard(entry);
  const d = entry.diagnosis;
  return {
    kind: 'manual_remediation',
    family: 'MANUAL',
    severity: 'danger',
    title: 'Access came back: task reopened',
    facts: [],
    notes: [
      `${cameBack} The task was done; the bot checked Okta again and reopened it.`,
      ...(d?.why ? [`Why: ${d.why}`] : []),
      ...(d?.next ? [`Next step: ${d.next}`] : []),
    ],
    ...(d?.links?.length ? { links: d.links } : {}),
    actions: actionsFor('open', entry.task.id),
    ...(parent.key ? { threadKey: parent.key } : {}),
    eventIds: [],
    at,
  };
}
