/**
 * Slack's two kinds of text, and untrusted text in each (SPEC §5, issue 12 item 7).
 *
 * `plain_text` is shown as given: no bold, no link, no mention. So every untrusted string inside a block —
 * a fact value, a note, a list line, an answer row, a title — goes into a plain_text object (`plainText`),
 * after src/cards/untrusted-text.ts has removed what would change where or in which order it shows.
 *
 * `mrkdwn` is left for our own words (a bold label) and for the places Slack offers nothing else: the
 * message `text` (the notification line and the fallback of a text-only message) and the words of a link we
 * build. There, untrusted text goes through `neutralMrkdwn`:
 *  - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (docs.slack.dev "Formatting text": escaping), so no
 *    `<!channel>`, `<@U123>` or `<https://evil|harmless>` survives;
 *  - Slack has no escape for `*`, `_`, `~` and backticks (yhatt/jsx-slack "About escape" documents the
 *    same), so a mark that could open or close formatting is replaced by a character that looks like it:
 *    `∗` U+2217, `ˍ` U+02CD, `∼` U+223C, `ˋ` U+02CB (jsx-slack's choices). A mark between two letters or
 *    digits ("aws_prod_admins", "a*b") cannot format in Slack and is kept, so logins stay as typed;
 *  - a `>` at the start of a line would quote the line even escaped: a soft hyphen (invisible) goes before it;
 *  - `:shortcode:` emoji would draw our own status marks (":white_check_mark: Access approved"): their
 *    colons become `∶` U+2236.
 *
 * Escaping makes text longer (one `&` becomes five characters), so the limits of Block Kit are applied to
 * the escaped text, never cutting inside an entity.
 */
import { clip } from '../../../src/cards/format.ts';
import { inertBlock, inertLine } from '../../../src/cards/untrusted-text.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const LOOKALIKES: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };
/** a formatting mark unless it stands between two letters or digits, where Slack does not format */
const LIVE_MARK = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;
const SHORTCODE = /:(?=[\w+'-]*[a-z])([\w+'-]+):/gi;

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Untrusted text made inert for a mrkdwn field: controls removed (line breaks kept as "\n", each line
 * checked on its own), `&<>` escaped, formatting marks, line-start quotes and emoji shortcodes neutralised.
 */
export function neutralMrkdwn(text: string): string {
  return escapeMrkdwn(inertBlock(text))
    .replace(LIVE_MARK, (c) => LOOKALIKES[c] ?? c)
    .replace(SHORTCODE, '\u2236$1\u2236')
    .replace(/^(\s*)&gt;/gm, '$1\u00ad&gt;');
}

/** `neutralMrkdwn` of one line: line breaks become spaces first. */
export function neutralLine(text: string): string {
  return neutralMrkdwn(inertLine(text));
}

/** the escaped form of one code point */
function escapedChar(ch: string): string {
  return ENTITIES[ch] ?? ch;
}

/** Escapes `text` and cuts it to at most `max` characters (ending with "…" when cut). */
export function escapeClipped(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const ch of text) {
    const e = escapedChar(ch);
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out}…`;
}

/** `neutralLine(text)` cut to at most `max` characters (ending with "…" when cut), never inside an entity. */
export function neutralClipped(text: string, max: number): string {
  const line = inertLine(text);
  const whole = neutralMrkdwn(line);
  if (whole.length <= max) return whole;
  // neutralising only makes text longer: find the longest cut of the raw line whose neutral form fits
  let lo = 0;
  let hi = Math.min(line.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (neutralMrkdwn(clip(line, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return neutralMrkdwn(clip(line, Math.max(lo, 1)));
}

/**
 * Splits `text` into pieces of at most `max` characters each (after `encode`, per code point), breaking
 * after a line break or a space where one is near the end of a piece, so a long note reads as consecutive
 * sections. Empty pieces become " " (Slack refuses an empty text).
 */
export function splitText(text: string, max: number, encode: (ch: string) => string = (ch) => ch): string[] {
  const pieces: string[] = [];
  let cur = '';
  /** length of `cur` just after its last line break or space */
  let lastBreak = -1;
  for (const ch of text) {
    const e = encode(ch);
    if (cur.length + e.length > max) {
      const cut = lastBreak > max / 2 ? lastBreak : cur.length;
      pieces.push(cur.slice(0, cut));
      cur = cur.slice(cut);
      lastBreak = -1;
    }
    cur += e;
    if (ch === '\n' || ch === ' ') lastBreak = cur.length;
  }
  if (cur.length > 0 || pieces.length === 0) pieces.push(cur);
  return pieces.map((p) => p.replace(/\s+$/, '')).map((p) => (p === '' ? ' ' : p));
}

/** Escapes `text` and splits it like `splitText`, never cutting inside an entity. */
export function escapeSplit(text: string, max: number): string[] {
  return splitText(text, max, escapedChar);
}
