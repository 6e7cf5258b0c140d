/**
 * Untrusted text made inert as plain text (issue 12 item 7): names, notes, campaign and resource names and
 * every other string that came from an Okta hook, the System Log or ASA/OPA is shown as it is, never as
 * layout. This file removes what would change *where* or *in which order* text is shown; each chat adapter
 * then escapes what its own markup would read as formatting (adapters/slack/render/mrkdwn.ts,
 * adapters/teams/render/adaptive-text.ts), and the terminal its escape sequences (adapters/terminal).
 *
 * Where it runs: at render time, in every renderer, on every untrusted string of the card model (title,
 * facts, notes, section lines, answer rows). Render time is the one place every path goes through — cards
 * built by src/cards, by the follow-up work queue, digests, `/oig` answers, anything added later — so a
 * builder that forgets cannot reintroduce the hole. The name helpers of format.ts also make names one line
 * when a card is built, because a name quoted inside a note ("Decision notes: …", a next step) would
 * otherwise keep its line break there, and a note may legitimately hold several lines.
 *
 * What is removed, and why:
 *  - Terminal escape sequences, whole (CSI "ESC [ … m", OSC "ESC ] 8 ;; url BEL" …), so their parameters do
 *    not survive as "[2J" garbage; then C0 and C1 control characters (but tab and the line breaks, handled
 *    below) and DEL: a terminal or a client may act on them, and none is text.
 *  - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the directional marks
 *    U+200E, U+200F, U+061C: they make shown text read differently from what it is ("Trojan Source",
 *    CVE-2021-42574; "gpj.exe" shown as "exe.jpg"). Right-to-left names still show correctly without them:
 *    the Unicode bidi algorithm orders Arabic or Hebrew letters by itself.
 *  - Invisible characters that carry no letter: zero-width space U+200B, word joiner and invisible operators
 *    U+2060–U+2064, deprecated format controls U+206A–U+206F, BOM/ZWNBSP U+FEFF, soft hyphen U+00AD,
 *    interlinear annotation U+FFF9–U+FFFB and the tag characters U+E0000–U+E007F ("ASCII smuggling": text a
 *    person cannot see). They can split a word so that a search or a person's eye misses it, and a zero-width
 *    space next to `*` or `_` is what makes Slack apply formatting inside a word.
 *  - Kept on purpose: ZWJ U+200D and ZWNJ U+200C (needed to write Persian and Indic names and emoji
 *    sequences; they reorder nothing), and every printable character.
 *  - Line breaks (CR, LF, CRLF, VT, FF, NEL U+0085, U+2028, U+2029): in one-line text (a name, a fact, a
 *    title, a list line) each run of them becomes one space — otherwise "Jane\r\n✅ Access approved" would
 *    add a line of our own-looking text to the card. In a block (a note) they become "\n".
 *  - Tabs become spaces.
 */

// CSI (ESC [ … final, or 8-bit 0x9b), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC strings, and 2-byte escapes.
const ESCAPES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u001b[ -~]?/g;
// Controls but \t \n \v \f \r (handled as spacing/line breaks), DEL, C1 but NEL (a line break), and the
// invisible format characters listed above.
const INVISIBLE =
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
/** every form of line break Unicode or a terminal knows, one at a time (CRLF counts as one) */
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/** true when `text` holds anything `inertLine` would remove or change (for tests and checks) */
export function hasLayoutCharacters(text: string): boolean {
  return new RegExp(ESCAPES.source).test(text) || new RegExp(INVISIBLE.source).test(text) || new RegExp(LINE_BREAK.source).test(text) || text.includes('\t');
}

/**
 * One line of untrusted text: invisible and control characters removed, each run of line breaks (with the
 * spaces around it) and each tab turned into one space. Nothing else changes: the letters are all there.
 */
export function inertLine(text: string): string {
  return text.replace(ESCAPES, '').replace(INVISIBLE, '').replace(/[ \t]*(?:\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029])[\s]*/g, ' ').replace(/\t/g, ' ');
}

/**
 * Untrusted text that may span lines (a note): invisible and control characters removed, every line break
 * made "\n", tabs made spaces. Each line is still only text; a renderer shows the lines as lines.
 */
export function inertBlock(text: string): string {
  return text.replace(ESCAPES, '').replace(INVISIBLE, '').replace(LINE_BREAK, '\n').replace(/\t/g, ' ');
}
