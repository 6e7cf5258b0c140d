/** A task's card, rebuilt with where the task stands now: same key as the first card, so it is edited in place. */
import type { Card, CardAction } from '../cards/card.ts';
import { actionsFor, buildManualRemediationCard, type ManualTaskView } from '../cards/manual-remediation-card.ts';
import type { ManualTask } from './task.ts';
import type { StoredTask } from './task-file.ts';
import { actorName } from './task-rules.ts';

export function taskView(entry: StoredTask): ManualTaskView {
  const t = entry.task;
  if (t.state === 'open') return { state: 'open' };
  const owner = t.closedByOkta ? 'Okta (a later remediation succeeded)' : actorName(t.owner);
  return { state: t.state, owner, ...(t.ownedAt ? { at: t.ownedAt } : {}) };
}

export function taskCard(entry: StoredTask): Card {
  return buildManualRemediationCard(entry.record, { task: taskView(entry) });
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
    ...(gone && entry.task.state !== 'done' ? { actions: [{ id: 'oig_manual_done' as const, label: 'Mark done', value: entry.task.id, style: 'primary' as const }] } : {}),
    ...(parent.key ? { threadKey: parent.key } : {}),
    eventIds: [],
    at,
  };
}
