/**
 * What a button press does to a task (SPEC §5), as a pure function: the queue stores the result, the
 * adapters only translate. Pressing the same button twice is harmless: the second press changes nothing
 * and says why, so a double click or a Slack retry never moves a task twice.
 */
import type { Actor, ManualTask, TaskActionName, TaskAudit } from './task.ts';

export interface Transition {
  result: TaskAudit['result'];
  /** the task after the press; undefined when nothing changed */
  next?: ManualTask;
  /** one line for the clicker */
  message: string;
}

/** how a person is named on a card and in replies */
export function actorName(a: Actor | undefined): string {
  if (!a) return 'someone';
  return a.name ?? a.email ?? a.id;
}

function sameActor(a: Actor | undefined, b: Actor): boolean {
  return a !== undefined && a.id === b.id && a.via === b.via;
}

export function transition(task: ManualTask, action: Exclude<TaskActionName, 'verify'>, actor: Actor, at: string): Transition {
  const owned = { ...task, owner: actor, ownedAt: at, updatedAt: at };
  delete owned.closedByOkta;
  switch (action) {
    case 'claim':
      if (task.state === 'open') return { result: 'ok', next: { ...owned, state: 'claimed' }, message: 'You claimed this task.' };
      if (task.state === 'claimed' && sameActor(task.owner, actor)) return { result: 'invalid_state', message: 'You have already claimed this task.' };
      if (task.state === 'claimed') {
        // taking a task from a colleague silently would hide who is working on it: reopen first
        return { result: 'invalid_state', message: `${actorName(task.owner)} has already claimed this task; reopen it first to take it over.` };
      }
      return { result: 'invalid_state', message: 'This task is already done; reopen it first.' };
    case 'done':
      if (task.state === 'done') return { result: 'invalid_state', message: 'This task is already done.' };
      return { result: 'ok', next: { ...owned, state: 'done' }, message: 'Marked done.' };
    case 'reopen': {
      if (task.state === 'open') return { result: 'invalid_state', message: 'This task is already open.' };
      const next: ManualTask = { ...task, state: 'open', updatedAt: at };
      delete next.owner;
      delete next.ownedAt;
      delete next.closedByOkta;
      return { result: 'ok', next, message: 'Reopened: the task is back in the queue.' };
    }
  }
}
