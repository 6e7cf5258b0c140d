/**
 * The manual-remediation buttons (SPEC §5) in Slack: a translator only (STYLE practice 1). It acks at
 * once (Slack shows the clicker an error after 3 s), names the clicker, hands the press to the work queue
 * (src/followup: permissions, states, audit, card updates live there) and tells the clicker privately
 * what the queue answered. A successful claim/done/reopen on a task card needs no reply: the work queue
 * republishes the card and the outbox edits that message. The same buttons also sit in ephemeral messages
 * (the rows of an `/oig skipped` answer, a verify reply's "Mark done"), which no chat.update can reach:
 * those are replaced through the press's response_url — with the answer re-run, or a short confirmation.
 * A press in the Home tab comes with neither a response_url nor a channel: the clicker's Home view is
 * published again with the answer on top (home/home-tab.ts).
 */
import type { App, BlockAction, ButtonAction, RespondArguments, types } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { decodeAnswerRow } from '../commands/answer-row.ts';
import { answerOigCommand } from '../commands/oig-command.ts';
import { plainText } from '../render/blocks.ts';
import { neutralMrkdwn } from '../render/mrkdwn.ts';
import type { PressOutcome } from '../../../src/followup/work-queue.ts';
import type { Actor, TaskActionName } from '../../../src/followup/task.ts';
import { needsEmail } from '../../../src/followup/permissions.ts';
import { slackActor } from './slack-actor.ts';

export interface TaskActionDeps {
  queue: { press(action: TaskActionName, taskId: string, actor: Actor): Promise<PressOutcome> };
  /** config.allowedUsers: decides whether the clicker's email must be looked up */
  allowedUsers: readonly string[];
  log: Logger;
  /** what `/oig` answers from: a press in an `/oig skipped` answer shows that answer again, updated */
  commands?: CommandDeps;
  /** the Home tab: a press there has no response_url; the clicker's view is published again with the answer */
  home?: { pressed(user: string, notice: string): void };
}

const ACTIONS: Readonly<Record<string, TaskActionName>> = {
  oig_manual_claim: 'claim',
  oig_manual_done: 'done',
  oig_manual_reopen: 'reopen',
  oig_manual_verify: 'verify',
};

/** Slack allows 3000 characters in a section text */
const MAX_TEXT = 2900;

export function registerTaskActions(app: App, deps: TaskActionDeps): void {
  const lookUpEmail = needsEmail(deps.allowedUsers);
  app.action<BlockAction<ButtonAction>>(/^oig_manual_(claim|done|reopen|verify)$/, async ({ ack, body, action, respond, client }) => {
    await ack();
    const name = ACTIONS[action.action_id];
    if (!name) return;
    const actor = await slackActor(body.user, client, lookUpEmail, deps.log);
    const taskId = typeof action.value === 'string' ? action.value : '';
    const out = await deps.queue.press(name, taskId, actor);
    deps.log.info({ action: name, task: taskId.slice(0, 100), user: actor.id, result: out.result }, 'manual-remediation button pressed');
    if (body.view?.type === 'home') {
      deps.home?.pressed(body.user.id, out.message);
      return;
    }
    if (out.result === 'ok' && name !== 'verify') {
      if (body.container.is_ephemeral === true) {
        await respond(replacement(action.block_id, out.message, deps.commands)).catch((err: unknown) =>
          deps.log.warn({ err, task: taskId.slice(0, 100) }, 'could not refresh the clicker\'s private message (response_url)'),
        );
      }
      return;
    }
    const text = out.message.slice(0, MAX_TEXT);
    // plain_text: the message quotes Okta names, which must not be read as mrkdwn; the `text` fallback is
    // mrkdwn, so it is neutralised (adapters/slack/render/mrkdwn.ts)
    const blocks: types.KnownBlock[] = [{ type: 'section', text: plainText(text, MAX_TEXT, true) }];
    if (out.offerDone) {
      blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: 'oig_manual_done', text: { type: 'plain_text', text: 'Mark done' }, style: 'primary', value: taskId }] });
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: neutralMrkdwn(text), blocks }).catch((err: unknown) =>
      deps.log.warn({ err, task: taskId.slice(0, 100) }, 'could not reply to the clicker (response_url)'),
    );
  });
}

/**
 * What replaces the ephemeral message a successful press came from: the `/oig` answer it was a row of,
 * re-run for the same page (the task now shows its new state and buttons), or else the queue's one line.
 */
function replacement(blockId: string, message: string, commands: CommandDeps | undefined): RespondArguments {
  const from = decodeAnswerRow(blockId);
  if (from && commands) return { ...answerOigCommand(from.text, commands, from.page), replace_original: true };
  const text = message.slice(0, MAX_TEXT);
  return { response_type: 'ephemeral', replace_original: true, text: neutralMrkdwn(text), blocks: [{ type: 'section', text: plainText(text, MAX_TEXT, true) }] };
}
