/**
 * The Bolt side of `/oig` and its "more" button: translate Slack's payload, call oig-command.ts or the
 * export, hand the reply back. Slack waits 3 s for a slash command's HTTP answer; a query runs from memory
 * in milliseconds, so the answer normally is the ack itself (no response_url round trip). If it ever took
 * longer than the budget below, the ack is sent empty and the answer follows through `respond`.
 */
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { chatCommand } from '../../../src/commands/engine.ts';
import { plainText } from '../render/blocks.ts';
import { neutralMrkdwn } from '../render/mrkdwn.ts';
import { uploadCsv } from './export-csv.ts';
import { decodeMore, MORE_ACTION } from './more-button.ts';
import { answerOigCommand, renderPage, type CommandReply } from './oig-command.ts';

/** well inside Slack's 3 s, leaving room for the network both ways */
export const ACK_BUDGET_MS = 2000;

/** a one-message reply; it may quote the words typed or a file name: plain_text, and neutralised as `text` */
const note = (text: string): CommandReply => ({ response_type: 'ephemeral', text: neutralMrkdwn(text), blocks: [{ type: 'section', text: plainText(text, 2900, true) }] });

export function registerOigCommand(app: App, deps: CommandDeps | undefined, log: Logger): void {
  app.command('/oig', async ({ command, ack, respond, client }) => {
    const started = performance.now();
    const cmd = chatCommand(command.text, deps);
    if (cmd.csv) {
      await ack(note('Preparing the CSV file…'));
      const result = await uploadCsv(client, cmd.csv(), command.channel_id, command.user_id);
      if (!result.ok) log.warn({ kind: cmd.parsed.query.kind, message: result.message }, '/oig export failed');
      await respond(note(result.message)).catch((err: unknown) => log.warn({ err }, 'could not tell the asker how the export went'));
      return;
    }
    const reply = renderPage(cmd.page(), command.text);
    if (performance.now() - started < ACK_BUDGET_MS) {
      await ack(reply);
      return;
    }
    await ack();
    await respond(reply).catch((err: unknown) => log.warn({ err }, 'could not send a slow /oig answer'));
  });

  // a page of a long answer: the click re-runs the query for that page and replaces the message it was on
  app.action(MORE_ACTION, async ({ ack, action, respond }) => {
    await ack();
    const more = decodeMore('value' in action && typeof action.value === 'string' ? action.value : undefined);
    const reply = more ? { ...answerOigCommand(more.text, deps, more.page), replace_original: true } : note('That button is not one I made; run the command again.');
    await respond(reply).catch((err: unknown) => log.warn({ err }, 'could not send the next page of an /oig answer'));
  });
}
