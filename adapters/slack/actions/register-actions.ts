/**
 * The manual-remediation buttons (SPEC §5) in Slack: a translator only (STYLE practice 1). It acks at
 * once (Slack shows the clicker an error after 3 s), names the clicker, hands the press to the work queue
 * (src/followup: permissions, states, audit, card updates live there) and tells the clicker privately
 * what the queue answered. A successful claim/done/reopen needs no reply: the card itself changes.
 */
import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import type { Logger } from 'pino';
import type { PressOutcome } from '../../../src/followup/work-queue.ts';
import type { Actor, TaskActionName } from '../../../src/followup/task.ts';
import { needsEmail } from '../../../src/followup/permissions.ts';
import { slackActor } from './slack-actor.ts';

export interface TaskActionDeps {
  queue: { press(action: TaskActionName, taskId: string, actor: Actor): Promise<PressOutcome> };
  /** config.allowedUsers: decides whether the clicker's email must be looked up */
  allowedUsers: readonly string[];
  log: Logger;
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
    if (out.result === 'ok' && name !== 'verify') return;
    const text = out.message.slice(0, MAX_TEXT);
    // plain_text: the message quotes Okta names, which must not be read as mrkdwn
    const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'plain_text', text } }];
    if (out.offerDone) {
      blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: 'oig_manual_done', text: { type: 'plain_text', text: 'Mark done' }, style: 'primary', value: taskId }] });
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text, blocks }).catch((err: unknown) =>
      deps.log.warn({ err, task: taskId.slice(0, 100) }, 'could not reply to the clicker (response_url)'),
    );
  });
}
