/**
 * Makes untrusted text (Okta names, notes) safe to print: a value such as "\u001b[2J" or "\u001b]8;;…"
 * would otherwise clear the screen, recolour it or plant a hyperlink in the operator's terminal.
 */

// Whole escape sequences first, so their parameters ("[31m") do not survive as visible garbage:
// CSI (ESC [ … final, or 8-bit 0x9b), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC strings, and 2-byte escapes.
const ESCAPES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u001b[ -~]?/g;
// Remaining C0 controls but tab and newline, DEL and C1; bidi overrides/isolates that reorder what is shown.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text: controls removed, tabs and line breaks turned into spaces. */
export function cleanLine(text: string): string {
  return cleanBlock(text).replace(/[\t\n\u2028\u2029]+/g, ' ');
}

/** Text that may span lines: controls removed, line breaks kept ("\r\n" becomes "\n"). */
export function cleanBlock(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '').replace(CONTROLS, '').replace(/\t/g, ' ');
}
