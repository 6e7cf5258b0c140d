/**
 * Untrusted text into Slack mrkdwn. Slack reserves exactly three characters — `&`, `<`, `>` — and asks for
 * them as `&amp;`, `&lt;`, `&gt;` (docs.slack.dev "Formatting text": escaping). Escaped, a decision note can
 * no longer ping `<!channel>`, mention `<@U123>` or hide a link behind `<https://evil|harmless>` (SPEC §5).
 * Other mrkdwn marks (`*bold*`, `_x_`) are left alone: they change how text looks, not what it does.
 *
 * Escaping makes text longer (one `&` becomes five characters), so the limits of Block Kit (3000 characters
 * per section text, 2000 per field) are applied to the escaped text, never cutting inside an entity.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
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

/**
 * Escapes `text` and splits it into pieces of at most `max` characters each, breaking after a line break or
 * a space where one is near the end of a piece, so a long note reads as consecutive sections.
 */
export function escapeSplit(text: string, max: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  /** length of `cur` just after its last line break or space */
  let lastBreak = -1;
  for (const ch of text) {
    const e = escapedChar(ch);
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
