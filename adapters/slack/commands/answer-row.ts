/**
 * The block id of an answer row's buttons (a task of `/oig skipped`). The buttons themselves carry what the
 * task card's carry (action_id = the SPEC action, value = the task id), so the one task handler serves both;
 * the block id tells that handler which answer the press came from — the words typed and the page — so it
 * can replace the ephemeral answer with a fresh one (an ephemeral message cannot be chat.update'd; only its
 * response_url can replace it). Like the "more" button, the click re-runs the query instead of keeping
 * pages on the server. Block ids must be unique in a message (hence the row) and at most 255 characters.
 */
import { decodeMore } from './more-button.ts';

const PREFIX = 'oig_row:';
/** Block Kit's limit for a block_id */
const MAX_BLOCK_ID = 255;

/** undefined when the words are too long to fit: the buttons still work, the answer is just not refreshed */
export function encodeAnswerRow(text: string, page: number, row: number): string | undefined {
  const id = PREFIX + JSON.stringify({ r: row, p: page, t: text });
  return id.length <= MAX_BLOCK_ID ? id : undefined;
}

/** the answer a press came from, or undefined for any other block (a task card, a verify reply, a forgery) */
export function decodeAnswerRow(blockId: string | undefined): { text: string; page: number } | undefined {
  // the same {t, p} form as the More button's value, and checked the same way
  return blockId?.startsWith(PREFIX) ? decodeMore(blockId.slice(PREFIX.length)) : undefined;
}
