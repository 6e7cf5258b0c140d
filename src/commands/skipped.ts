/** `/oig skipped`: the open manual-remediation tasks of the work queue, oldest first (they wait longest). */
import type { ManualTask, TaskSource } from '../followup/task.ts';
import { emptyAnswer, type Answer, type AnswerRow } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { age, what, who } from './describe.ts';

export const NO_QUEUE = 'The manual-remediation work queue is not available in this bot.';

export const TASK_COLUMNS = ['task', 'state', 'opened', 'age', 'principal', 'resource', 'campaign', 'owner', 'last action', 'outcome', 'reason'];

export function taskRows(tasks: readonly ManualTask[], source: TaskSource, now: Date): AnswerRow[] {
  return [...tasks]
    .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0))
    .map((t) => {
      const last = source.audit(t.id)[0];
      const lastText = last ? `${last.action} by ${last.actor.name ?? last.actor.id}` : '';
      const owner = t.owner ? (t.owner.name ?? t.owner.id) : '';
      const campaign = t.campaign.name ?? t.campaign.id ?? '';
      return {
        line: `${age(t.openedAt, now)} old · ${who(t.principal)} · ${what(t.resource)} · ${campaign} · ${owner ? `owner ${owner}` : 'no owner'}${lastText ? ` · last: ${lastText}` : ''}`,
        cells: [t.id, t.state, t.openedAt, age(t.openedAt, now), who(t.principal), what(t.resource), campaign, owner, lastText, t.outcome ?? t.status ?? '', t.reason ?? ''],
      };
    });
}

export function skipped(deps: CommandDeps): Answer {
  const title = 'Open manual-remediation tasks';
  if (!deps.tasks) return emptyAnswer(title, [], NO_QUEUE);
  const rows = taskRows(deps.tasks.openTasks(), deps.tasks, deps.now?.() ?? new Date());
  return { title, matched: rows.length, summary: [], columns: TASK_COLUMNS, rows };
}
