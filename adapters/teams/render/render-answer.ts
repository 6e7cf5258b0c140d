/**
 * `@bot oig …` answers as Adaptive Cards: the Teams twin of the Slack `/oig` reply (renderPage in
 * adapters/slack/commands/oig-command.ts), built from the same neutral AnswerPage.
 *
 * Slack answers ephemerally; Teams has no ephemeral messages in a channel, so the answer is a user-specific
 * view: the message everyone sees is `answerPlaceholder`, whose `refresh` (verb `oig_answer`) makes Teams
 * ask the bot for the asker's view, and the bot answers with `renderAnswer(…, { userIds })`. The answer
 * carries the same refresh so it stays the asker's view after a "More" press.
 */
import type { CardAction } from '../../../src/cards/card.ts';
import { matchedLine, type AnswerPage, type AnswerRow } from '../../../src/commands/answer.ts';
import type { AdaptiveCard, AnswerActionData, CardRefresh, Container, RichTextBlock } from './adaptive-card-types.ts';
import { clipText, line, oneLine, paragraphs } from './adaptive-text.ts';
import { TEAMS_LIMITS as L, fitBody, type BodyPart } from './limits.ts';
import { adaptiveCard, execute, shortenedNotice, subtleLine, taskAction, titleBlock } from './render-card.ts';

/** Action.Execute verbs of answers (the card buttons use the CardAction ids). */
export const MORE_VERB = 'oig_more';
export const ANSWER_VERB = 'oig_answer';

export interface AnswerOptions {
  /** Teams user ids (MRI) who see this answer: adds the user-specific-view refresh (the first is the asker) */
  userIds?: string[];
}

function answerRefresh(data: AnswerActionData, userIds: string[]): CardRefresh {
  return { action: execute('Show answer', ANSWER_VERB, { ...data, ...(userIds[0] ? { asker: userIds[0] } : {}) }), userIds };
}

export function renderAnswer(p: AnswerPage, command: string, opts: AnswerOptions = {}): AdaptiveCard {
  const { answer } = p;
  const asker = opts.userIds?.[0];
  const more = p.next !== undefined ? [execute(`More (page ${p.next + 1} of ${p.pages})`, MORE_VERB, { command, page: p.next, ...(asker ? { asker } : {}) })] : [];
  const refresh = opts.userIds ? answerRefresh({ command, page: p.page }, opts.userIds) : undefined;
  const frame = adaptiveCard([titleBlock(answer.title, 'info', 'Medium')], more, refresh);
  const parts = [
    ...(answer.notice ? paragraphs(`⚠️ ${answer.notice}`, L.noteText, { color: 'Warning' }) : []),
    // a summary line may quote a name ("Showing …"): each stays one line
    ...answer.summary.flatMap((s, i) => paragraphs(oneLine(s), L.lineText, {}, i === 0 ? 'Default' : 'None')),
    ...p.rows.map((r, i) => rowPart(r, i, { command, page: p.page, ...(asker ? { asker } : {}) })),
  ];
  const count = subtleLine(`${matchedLine(p)}${opts.userIds ? ' · Only you can see this.' : ''}`, 'Medium');
  return fitBody(frame, parts, [count], (n) => shortenedNotice(n, 'row(s)'));
}

/**
 * One row: its line, and under it the row's buttons (a task of `oig skipped`: Claim, Mark done, Verify …).
 * The buttons are the task card's (verb = the CardAction id, data.taskId = the task id), so the same invoke
 * handler runs the work queue; `data.answer` names this answer so the press can answer with it refreshed.
 * Line and buttons are one Container, so a card too big for Teams drops whole rows, never half of one.
 */
function rowPart(r: AnswerRow, i: number, answer: AnswerActionData): BodyPart {
  const text = line(r.line, L.lineText, {}, r.actions?.length ? 'None' : i === 0 ? 'Medium' : 'None');
  if (!r.actions?.length) return text;
  const buttons = r.actions.map((a) => ({ ...taskAction(a), data: { taskId: a.value, answer } }));
  const row: Container = { type: 'Container', items: [text, { type: 'ActionSet', actions: buttons, spacing: 'Small' }], spacing: i === 0 ? 'Medium' : 'Default' };
  return row;
}

/**
 * What everyone but the asker sees in a channel. Names and command words are untrusted, so they are
 * TextRuns (no Markdown); the command is set in monospace instead of backticks.
 */
export function answerPlaceholder(askerName: string, command: string, userIds: string[], exportView?: string): AdaptiveCard {
  const block: RichTextBlock = {
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: 'Answer to ' },
      { type: 'TextRun', text: clipText(oneLine(command), L.lineText) || ' ', fontType: 'Monospace' },
      { type: 'TextRun', text: ' for ' },
      { type: 'TextRun', text: clipText(oneLine(askerName), 100) || 'someone', weight: 'Bolder' },
      { type: 'TextRun', text: ': only they can see it. Mention the bot with the same words to see your own.' },
    ],
  };
  return adaptiveCard([block], [], answerRefresh({ command, page: 0, ...(exportView ? { export: exportView } : {}) }, userIds));
}

/**
 * The answer to `oig export …`: a link to the CSV (served by the bot, valid for an hour). With `userView`
 * it stays a user-specific view, like every answer in a channel (its refresh names the view, not the token).
 */
export function renderExportLink(title: string, url: string, rows: number, command: string, userView?: { view: string; userIds: string[] }): AdaptiveCard {
  const body = [titleBlock(title, 'info', 'Medium'), line(`${rows} row(s) as CSV. The link works for one hour.`, L.lineText, {}, 'Small')];
  const card = adaptiveCard(body, [], userView ? answerRefresh({ command, page: 0, export: userView.view }, userView.userIds) : undefined);
  return { ...card, actions: [{ type: 'Action.OpenUrl', title: 'Download CSV', url }] };
}

/**
 * A small card with one message: a command error, or the private "Verify in Okta" answer with its optional
 * "Mark done" button (data { taskId }).
 */
export function renderNotice(text: string, actions: CardAction[] = []): AdaptiveCard {
  const body = paragraphs(text, L.noteText, {}, 'None');
  return adaptiveCard(body.length > 0 ? body : [line(text, L.lineText)], actions.map(taskAction));
}
