/**
 * The answer to `/oig …` (SPEC §5) as Slack sees it: parse the words, run the neutral engine, render one
 * page as Block Kit. A pure function of (words, page, engine deps), so the Bolt listeners stay translators.
 * Answers are ephemeral: only the person who asked sees them.
 */
import { matchedLine, type AnswerPage } from '../../../src/commands/answer.ts';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { answerPage } from '../../../src/commands/engine.ts';
import { context, header, textSections, type Block } from '../render/blocks.ts';
import { SLACK_LIMITS as L } from '../render/limits.ts';
import { escapeClipped, escapeMrkdwn } from '../render/mrkdwn.ts';
import { encodeMore, MORE_ACTION } from './more-button.ts';

export { OIG_COMMANDS } from '../../../src/commands/help.ts';

export interface CommandReply {
  response_type: 'ephemeral';
  text: string;
  blocks: Block[];
  /** set when a "more" click replaces the page it was on */
  replace_original?: boolean;
}

export function renderPage(p: AnswerPage, text: string): CommandReply {
  const { answer } = p;
  const blocks: Block[] = [header(answer.title)];
  if (answer.notice) blocks.push(...textSections(`⚠️ ${answer.notice}`));
  if (answer.summary.length) blocks.push(...textSections(answer.summary.join('\n')));
  if (p.rows.length) blocks.push(...lineSections(p.rows.map((r) => r.line)));
  const count = matchedLine(p);
  blocks.push(context(escapeMrkdwn(count), 'Only you can see this.'));
  if (p.next !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: MORE_ACTION, text: { type: 'plain_text', text: `More (page ${p.next + 1} of ${p.pages})` }, value: encodeMore(text, p.next) }],
    });
  }
  const fallback = [answer.title, answer.notice, ...answer.summary, ...p.rows.map((r) => r.line), count].filter((l): l is string => !!l);
  return { response_type: 'ephemeral', text: escapeClipped(fallback.join('\n'), L.fallbackText), blocks: blocks.slice(0, L.blocksPerMessage) };
}

/** one line per result, as few sections as Block Kit's 3000 characters per section allow */
function lineSections(lines: readonly string[]): Block[] {
  const out: Block[] = [];
  let cur = '';
  for (const line of lines) {
    const l = escapeClipped(line, 500);
    if (cur && cur.length + l.length + 1 > L.sectionText) {
      out.push({ type: 'section', text: { type: 'mrkdwn', text: cur, verbatim: true } });
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push({ type: 'section', text: { type: 'mrkdwn', text: cur, verbatim: true } });
  return out;
}

export function answerOigCommand(text: string | undefined, deps?: CommandDeps, page = 0): CommandReply {
  return renderPage(answerPage(text, deps, page), text ?? '');
}
