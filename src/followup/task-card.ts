/** A task's card, rebuilt with where the task stands now: same key as the first card, so it is edited in place. */
import type { Card } from '../cards/card.ts';
import { buildManualRemediationCard, type ManualTaskView } from '../cards/manual-remediation-card.ts';
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
