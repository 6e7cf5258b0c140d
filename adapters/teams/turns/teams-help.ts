/**
 * The `/oig` answers as Teams users read them: the same engine and pages (src/commands), with the help
 * telling how to write the commands in Teams (mention the bot, no slash) and the two Teams-only ones.
 */
import { pageOf, type AnswerPage } from '../../../src/commands/answer.ts';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { chatCommand, type ChatCommand } from '../../../src/commands/engine.ts';

const TEAMS_WAY =
  'In Teams: mention the bot in a channel (@OIG oig revokes), or write the words in a chat with it. '
  + 'In a channel, "oig subscribe" sends cards there (optionally only some: certification, access_request, access_review, system, asa, manual) '
  + 'and "oig unsubscribe" stops them.';

/** a page of a command's answer, its help in Teams' words */
export function teamsPage(cmd: ChatCommand, page = 0): AnswerPage {
  const p = cmd.page(page);
  const { kind } = cmd.parsed.query;
  if (kind !== 'help' && kind !== 'invalid') return p;
  const a = p.answer;
  const rows = a.rows.map((r) => ({ ...r, line: r.line.replace(/(^|e\.g\. )\/oig /g, '$1oig ') }));
  return pageOf({ ...a, summary: [...a.summary, TEAMS_WAY], rows }, p.page);
}

/** the same, from the words (a "More" press, the asker's view of an answer) */
export function teamsAnswerPage(text: string, deps: CommandDeps | undefined, page = 0): AnswerPage {
  return teamsPage(chatCommand(text, deps), page);
}
