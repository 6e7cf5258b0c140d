/**
 * The answer to `/oig …` (SPEC §5) as Slack sees it: parse the words, run the neutral engine, render one
 * page as Block Kit. A pure function of (words, page, engine deps), so the Bolt listeners stay translators.
 * Answers are ephemeral: only the person who asked sees them.
 *
 * Every line of an answer quotes Okta or ASA/OPA data (names, resources, campaigns) or the words typed, so
 * it is plain_text (blocks.ts): a name cannot bold itself, link, mention or start a line of its own. The
 * `text` fallback is mrkdwn in Slack and is neutralised instead (mrkdwn.ts).
 */
import { matchedLine, type AnswerPage, type AnswerRow } from '../../../src/commands/answer.ts';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { answerPage } from '../../../src/commands/engine.ts';
import { inertLine } from '../../../src/cards/untrusted-text.ts';
import { actions, header, lineSections, plainContext, plainText, textSections, type Block } from '../render/blocks.ts';
import { SLACK_LIMITS as L } from '../render/limits.ts';
import { neutralClipped, neutralLine } from '../render/mrkdwn.ts';
import { encodeAnswerRow } from './answer-row.ts';
import { encodeMore, MORE_ACTION } from './more-button.ts';

export { OIG_COMMANDS } from '../../../src/commands/help.ts';

export interface CommandReply {
  response_type: 'ephemeral';
  text: string;
  blocks: Block[];
  /** set when a "more" click replaces the page it was on */
  replace_original?: boolean;
}

/** longest row shown; a row is one line of a list */
const ROW_TEXT = 500;

export function renderPage(p: AnswerPage, text: string): CommandReply {
  const { answer } = p;
  const blocks: Block[] = [header(answer.title)];
  if (answer.notice) blocks.push(...textSections(`⚠️ ${answer.notice}`));
  // a summary line may quote a name ("Showing …"): each stays one line
  if (answer.summary.length) blocks.push(...textSections(answer.summary.map(inertLine).join('\n')));
  // the count line and the "More" button always stay
  const room = L.blocksPerMessage - blocks.length - (p.next !== undefined ? 2 : 1);
  if (p.rows.length) blocks.push(...rowBlocks(p, text, room));
  const count = matchedLine(p);
  blocks.push(plainContext(count, 'Only you can see this.'));
  if (p.next !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: MORE_ACTION, text: { type: 'plain_text', text: `More (page ${p.next + 1} of ${p.pages})` }, value: encodeMore(text, p.next) }],
    });
  }
  return { response_type: 'ephemeral', text: fallbackText(p, count), blocks: blocks.slice(0, L.blocksPerMessage) };
}

/** the mrkdwn `text`: one neutralised line per part, whole lines only, within Slack's advised length */
function fallbackText(p: AnswerPage, count: string): string {
  const { answer } = p;
  const lines = [answer.title, answer.notice, ...answer.summary, ...p.rows.map((r) => r.line), count]
    .filter((l): l is string => !!l)
    .map((l) => neutralClipped(l, 500));
  let text = '';
  for (const line of lines) {
    if (text.length + line.length + 3 > L.fallbackText) return `${text}\n…`;
    text = text ? `${text}\n${line}` : line;
  }
  return text || neutralLine(answer.title);
}

/**
 * The rows of a page. Plain rows are lines packed into sections; a row with buttons (a task of `/oig skipped`)
 * is its own section followed by its actions block, whose block id names the answer (answer-row.ts) so a
 * press can refresh it. Two blocks per such row: the page size of those answers keeps them within the 50
 * blocks; should a page still not fit, the rows past `room` lose their buttons and become plain lines.
 */
function rowBlocks(p: AnswerPage, text: string, room: number): Block[] {
  if (!p.rows.some((r) => r.actions?.length)) return lineSections(p.rows.map((r) => r.line), ROW_TEXT);
  const out: Block[] = [];
  let i = 0;
  for (; i < p.rows.length; i++) {
    const r: AnswerRow = p.rows[i]!;
    const need = r.actions?.length ? 2 : 1;
    // keep one block for the rows after this one, should they have to be shown as lines
    if (out.length + need + (i + 1 < p.rows.length ? 1 : 0) > room) break;
    out.push({ type: 'section', text: plainText(r.line, ROW_TEXT) });
    if (r.actions?.length) {
      const blockId = encodeAnswerRow(text, p.page, i);
      out.push({ ...actions(r.actions), ...(blockId ? { block_id: blockId } : {}) });
    }
  }
  if (i < p.rows.length) out.push(...lineSections(p.rows.slice(i).map((r) => r.line), ROW_TEXT).slice(0, Math.max(1, room - out.length)));
  return out;
}

export function answerOigCommand(text: string | undefined, deps?: CommandDeps, page = 0): CommandReply {
  return renderPage(answerPage(text, deps, page), text ?? '');
}
