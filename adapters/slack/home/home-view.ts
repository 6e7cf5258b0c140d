/**
 * The Slack Home tab (issue 14 §2): the open manual-remediation tasks for one person, theirs first, then
 * the unclaimed ones, then those others claimed, each group oldest first, with the same buttons as the
 * task cards (same action ids and values, so a press here is the same press: register-actions.ts) and the
 * cause Okta's API gave for the skip, in the card's words (shortened; the card has it all).
 *
 * A pure function from tasks to a `home` view. A Home view holds at most 100 blocks (docs.slack.dev
 * "Home tab views"); past that the last line points to `/oig skipped`, which pages through all of them.
 * Every name comes from Okta and goes into plain_text (blocks.ts), like everywhere else.
 */
import type { types } from '@slack/bolt';
import { causeNotes, type SkipCauseView } from '../../../src/cards/manual-remediation-card.ts';
import { campaignText, clip, partyShort, resourceShort, timeText } from '../../../src/cards/format.ts';
import type { ManualTask } from '../../../src/followup/task.ts';
import { taskActions, viewOf } from '../../../src/followup/task-card.ts';
import { actorName } from '../../../src/followup/task-rules.ts';
import { actions, context, header, plainText, type Block } from '../render/blocks.ts';
import { SLACK_LIMITS as L } from '../render/limits.ts';
import { escapeMrkdwn } from '../render/mrkdwn.ts';

/** docs.slack.dev "Home tab views": `blocks` — max of 100 */
export const HOME_MAX_BLOCKS = 100;

/** where a task stands for the person looking */
export type Standing = 'yours' | 'unclaimed' | 'others';

export interface HomeOptions {
  /** one line for this person only: what their last press did (a refusal, Okta's answer to Verify) */
  notice?: string;
  /** what the last check in Okta found for a task, as on its card (work-queue.ts `cause`) */
  causeOf?: (taskId: string) => SkipCauseView | undefined;
  /** when the view was made, for its "updated" line */
  now: Date;
}

/** the way the work queue decides "the same person" (task-rules.ts): the id and the chat it came from */
export function standing(task: ManualTask, viewer: string): Standing {
  if (task.state === 'open' || !task.owner) return 'unclaimed';
  return task.owner.via === 'slack' && task.owner.id === viewer ? 'yours' : 'others';
}

const ORDER: Readonly<Record<Standing, number>> = { yours: 0, unclaimed: 1, others: 2 };

/** open and claimed tasks for `viewer`: theirs, unclaimed, others', each oldest first */
export function orderFor(tasks: readonly ManualTask[], viewer: string): ManualTask[] {
  return tasks
    .filter((t) => t.state !== 'done')
    .map((task, i) => ({ task, i, rank: ORDER[standing(task, viewer)] }))
    .sort((a, b) => a.rank - b.rank || a.task.openedAt.localeCompare(b.task.openedAt) || a.i - b.i)
    .map((e) => e.task);
}

/** a cause line on the Home tab: short, the whole text is on the task card */
const MAX_CAUSE_LINE = 600;

/** what the task is, where it stands, and why Okta skipped it once checked: plain text lines */
function taskText(task: ManualTask, viewer: string, cause: SkipCauseView | undefined): string {
  const campaign = campaignText(task.campaign);
  const opened = timeText(task.openedAt) ?? task.openedAt;
  const where = standing(task, viewer);
  const state =
    where === 'yours' ? `Claimed by you${task.ownedAt ? ` at ${timeText(task.ownedAt)}` : ''}`
    : where === 'others' ? `Claimed by ${actorName(task.owner)}`
    : 'Open: nobody has claimed it';
  return [
    `Remove ${partyShort(task.principal)} from ${resourceShort(task.resource)}`,
    `${campaign ? `Campaign ${campaign} · ` : ''}skipped by Okta ${opened}`,
    state,
    ...(cause ? causeNotes(cause, viewOf(task)).flatMap((n) => (n ? [clip(n, MAX_CAUSE_LINE)] : [])) : []),
  ].join('\n');
}

function counts(ordered: readonly ManualTask[], viewer: string): string {
  const n: Record<Standing, number> = { yours: 0, unclaimed: 0, others: 0 };
  for (const t of ordered) n[standing(t, viewer)] += 1;
  const total = ordered.length;
  return `${total} open task${total === 1 ? '' : 's'}: ${n.yours} yours, ${n.unclaimed} unclaimed, ${n.others} claimed by others`;
}

export function homeView(tasks: readonly ManualTask[], viewer: string, o: HomeOptions): types.HomeView {
  const ordered = orderFor(tasks, viewer);
  const blocks: Block[] = [header('Manual remediation queue')];
  if (o.notice) blocks.push({ type: 'section', text: plainText(o.notice, L.sectionText, true) });
  if (ordered.length === 0) {
    blocks.push({
      type: 'section',
      text: plainText('Nothing to do: no manual-remediation task is open. When Okta cannot carry out a removal, the task shows up here with its buttons.', L.sectionText),
    });
    blocks.push(context(escapeMrkdwn(`Updated ${timeText(o.now.toISOString())}`)));
    return { type: 'home', blocks };
  }
  blocks.push(context(escapeMrkdwn(`${counts(ordered, viewer)} · updated ${timeText(o.now.toISOString())}`)), { type: 'divider' });
  // two blocks per task; one kept for the "more" line when they do not all fit
  const room = HOME_MAX_BLOCKS - blocks.length;
  const shown = ordered.length * 2 <= room ? ordered.length : Math.floor((room - 1) / 2);
  for (const task of ordered.slice(0, shown)) {
    blocks.push({ type: 'section', text: plainText(taskText(task, viewer, o.causeOf?.(task.id)), L.sectionText, true) }, actions(taskActions(task)));
  }
  const more = ordered.length - shown;
  if (more > 0) blocks.push(context(escapeMrkdwn(`${more} more: /oig skipped`)));
  return { type: 'home', blocks };
}
