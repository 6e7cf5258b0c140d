/**
 * Makes untrusted text (Okta names, notes) safe to print: a value such as "\u001b[2J" or "\u001b]8;;…"
 * would otherwise clear the screen, recolour it or plant a hyperlink in the operator's terminal. The
 * cleaning is the one every chat uses (src/cards/untrusted-text.ts removes whole escape sequences first,
 * then controls, bidi overrides and invisible characters); a terminal needs nothing more.
 */
import { inertBlock, inertLine } from '../../src/cards/untrusted-text.ts';

/** One line of text: escapes and controls removed, tabs and line breaks turned into spaces. */
export function cleanLine(text: string): string {
  return inertLine(text);
}

/** Text that may span lines: escapes and controls removed, line breaks kept ("\r\n" becomes "\n"). */
export function cleanBlock(text: string): string {
  return inertBlock(text);
}
