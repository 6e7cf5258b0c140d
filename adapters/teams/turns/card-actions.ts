/**
 * `Action.Execute` presses (invoke `adaptiveCard/action`), issue 7 §4: the manual-remediation buttons run
 * the same work queue as Slack's (permissions, states, audit, card updates live in src/followup); `oig_more`
 * and `oig_answer` show a page of a command's answer (a "More" press, or Teams asking for the asker's
 * user-specific view in a channel). A translator only.
 *
 * The task buttons sit on task cards and on the rows of an `oig skipped` answer (issue 11 §2). Pressed on a
 * card, the invoke answers with the card as it now stands; pressed in an answer (`data.answer`), with that
 * answer again — the same page, still the asker's user-specific view — and the task's card in its channel
 * is edited by the work queue either way.
 */
import type { ActionId } from '../../../src/cards/card.ts';
import { AppError } from '../../../src/errors.ts';
import { needsEmail } from '../../../src/followup/permissions.ts';
import type { TaskActionName } from '../../../src/followup/task.ts';
import { exportPath } from '../csv-exports.ts';
import type { ExportLink } from '../export-files.ts';
import { ANSWER_VERB, MORE_VERB, answerPlaceholder, renderAnswer, renderExportLink } from '../render/render-answer.ts';
import { renderCard } from '../render/render-card.ts';
import type { InvokeReply, Turn } from '../teams-types.ts';
import { cardReply, errorReply, messageReply } from './invoke-replies.ts';
import { teamsActor } from './teams-actor.ts';
import type { RequestInfo, TurnDeps } from './teams-context.ts';
import { teamsAnswerPage } from './teams-help.ts';

const TASK_VERBS: Readonly<Record<ActionId, TaskActionName>> = {
  oig_manual_claim: 'claim',
  oig_manual_done: 'done',
  oig_manual_reopen: 'reopen',
  oig_manual_verify: 'verify',
};

interface ActionValue {
  verb: string;
  data: Record<string, unknown>;
}

/** `activity.value` of an adaptiveCard/action invoke: `{ action: { type: 'Action.Execute', verb, data } }` */
function readAction(value: unknown): ActionValue | undefined {
  const action = (value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || typeof action.verb !== 'string') return undefined;
  const data = action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
  return { verb: action.verb, data };
}

export async function onCardAction(turn: Turn, d: TurnDeps, req: RequestInfo): Promise<InvokeReply> {
  const action = readAction(turn.activity.value);
  if (!action) return errorReply('This card action carries no verb.');
  if (Object.hasOwn(TASK_VERBS, action.verb)) return pressTask(turn, TASK_VERBS[action.verb as ActionId], action.data, d, req);
  if (action.verb === MORE_VERB || action.verb === ANSWER_VERB) return showAnswer(turn, action.data, d, req);
  d.log.warn({ verb: action.verb.slice(0, 60) }, 'a Teams card action with a verb this bot does not know');
  return errorReply('This button is not one this bot made.');
}

/**
 * Teams waits only a few seconds for an invoke's answer. Claim, done and reopen take milliseconds; "Verify
 * in Okta" asks Okta (with retries), so past this budget the clicker is told the answer will come in the
 * card's thread — where the work queue posts it anyway — and the press finishes in the background.
 */
export const INVOKE_BUDGET_MS = 4000;

/** the answer a task button was pressed in (its `data.answer`), as showAnswer reads it */
function answerOf(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const a = data.answer;
  return a && typeof a === 'object' && !Array.isArray(a) && typeof (a as { command?: unknown }).command === 'string' ? (a as Record<string, unknown>) : undefined;
}

async function pressTask(turn: Turn, name: TaskActionName, data: Record<string, unknown>, d: TurnDeps, req: RequestInfo): Promise<InvokeReply> {
  if (!d.tasks) return messageReply('The manual-remediation work queue is not running on this bot.');
  const taskId = typeof data.taskId === 'string' ? data.taskId : '';
  const actor = await teamsActor(turn, needsEmail(d.allowedUsers));
  const pressing = d.tasks.press(name, taskId, actor);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), d.invokeBudgetMs ?? INVOKE_BUDGET_MS)));
  const out = name === 'verify' ? await Promise.race([pressing, late]) : await pressing;
  clearTimeout(timer);
  if (!out) {
    void pressing.then(
      (o) => d.log.info({ action: name, task: taskId.slice(0, 100), user: actor.id, result: o.result }, 'manual-remediation button pressed (Teams, answered late)'),
      (err: unknown) => d.log.error({ err, task: taskId.slice(0, 100) }, 'a manual-remediation press failed'),
    );
    return messageReply('Asking Okta… the answer will be posted in the task card\'s thread.');
  }
  d.log.info({ action: name, task: taskId.slice(0, 100), user: actor.id, result: out.result }, 'manual-remediation button pressed (Teams)');
  if (out.result === 'ok' && name !== 'verify') {
    const inAnswer = answerOf(data);
    if (inAnswer) return showAnswer(turn, inAnswer, d, req);
    const card = d.tasks.card(taskId);
    if (card) return cardReply(renderCard(card));
  }
  // refusals, stale buttons and Okta's verify answer: to the clicker only; the card stays as it is
  return messageReply(out.message);
}

async function showAnswer(turn: Turn, data: Record<string, unknown>, d: TurnDeps, req: RequestInfo): Promise<InvokeReply> {
  const command = typeof data.command === 'string' ? data.command.slice(0, 1000) : '';
  const page = typeof data.page === 'number' && Number.isInteger(data.page) && data.page >= 0 ? data.page : 0;
  const from = turn.activity.from;
  const asker = typeof data.asker === 'string' ? data.asker : undefined;
  // Teams refreshes a card for everyone in a small channel: only the asker gets the answer
  if (asker !== undefined && from?.id !== asker) {
    return cardReply(answerPlaceholder('someone else', command, [asker], typeof data.export === 'string' ? data.export : undefined));
  }
  const userIds = asker ? [asker] : undefined;
  if (typeof data.export === 'string') {
    let link: ExportLink | undefined;
    try {
      link = await d.exports.linkOf(data.export, from?.id);
    } catch (err) {
      // the export store in PostgreSQL did not answer: the asker is told, to the clicker only
      if (err instanceof AppError) return messageReply(err.message);
      throw err;
    }
    if (!link) return messageReply('This export link is older than an hour. Run the export again.');
    return cardReply(renderExportLink(link.title, `${req.publicUrl}${exportPath(link.token)}`, link.rows, command, userIds ? { view: data.export, userIds } : undefined));
  }
  return cardReply(renderAnswer(teamsAnswerPage(command, d.commands, page), command, userIds ? { userIds } : {}));
}
