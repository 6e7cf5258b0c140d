/** `/oig skipped`: the open manual-remediation tasks of the work queue, oldest first (they wait longest). */
import type { ManualTask, TaskSource } from '../followup/task.ts';
import { taskActions } from '../followup/task-card.ts';
import { emptyAnswer, type Answer, type AnswerRow } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { age, what, who } from './describe.ts';

export const NO_QUEUE = 'The manual-remediation work queue is not available in this bot.';

/** `event id`: the Okta uuid of the remediation event behind the task (ManualTask.openedBy), the key into Okta's System Log */
export const TASK_COLUMNS = ['task', 'state', 'opened', 'age', 'principal', 'resource', 'campaign', 'owner', 'last action', 'outcome', 'reason', 'event id'];

/**
 * Tasks per page of `/oig skipped`. Each row carries its buttons: in Slack a row is two blocks (line and
 * actions), in Teams a line and an ActionSet (~1.2 KB at worst with a 500-character line). Ten keep a page
 * far inside Slack's 50 blocks and Teams' 24 KB card, and a list of work items with buttons longer than a
 * screenful reads badly anyway; "More" shows the rest.
 */
export const TASK_PAGE_SIZE = 10;

export interface TaskRowOptions {
  /** give each row the buttons of its task card (Claim, Mark done, Verify …) */
  actions?: boolean;
}

export function taskRows(tasks: readonly ManualTask[], source: TaskSource, now: Date, o: TaskRowOptions = {}): AnswerRow[] {
  return [...tasks]
    .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0))
    .map((t) => {
      const last = source.audit(t.id)[0];
      const lastText = last ? `${last.action} by ${last.actor.name ?? last.actor.id}` : '';
      const owner = t.owner ? (t.owner.name ?? t.owner.id) : '';
      const campaign = t.campaign.name ?? t.campaign.id ?? '';
      return {
        line: `${age(t.openedAt, now)} old · ${who(t.principal)} · ${what(t.resource)} · ${campaign} · ${owner ? `owner ${owner}` : 'no owner'}${lastText ? ` · last: ${lastText}` : ''}`,
        cells: [t.id, t.state, t.openedAt, age(t.openedAt, now), who(t.principal), what(t.resource), campaign, owner, lastText, t.outcome ?? t.status ?? '', t.reason ?? '', t.openedBy],
        ...(o.actions ? { actions: taskActions(t) } : {}),
      };
    });
}

export function skipped(deps: CommandDeps): Answer {
  const title = 'Open manual-remediation tasks';
  if (!deps.tasks) return emptyAnswer(title, [], NO_QUEUE);
  // the buttons make this list the place to act on tasks whose card was never posted (a digest's) (issue 11 §2)
  const rows = taskRows(deps.tasks.openTasks(), deps.tasks, deps.now?.() ?? new Date(), { actions: true });
  return { title, matched: rows.length, summary: [], columns: TASK_COLUMNS, rows, pageSize: TASK_PAGE_SIZE };
}
