/**
 * An answer as plain text for a terminal: the title, the summary lines, the notice, the rows as an aligned
 * table under the answer's columns, then the engine's "N matched" line. Every cell is Okta's text and made
 * inert (src/cards/untrusted-text.ts: escape sequences, controls, bidi overrides and line breaks cannot
 * reach the operator's terminal); bold headings only on a terminal, never in a pipe or a file.
 */
import { inertLine } from '../../cards/untrusted-text.ts';
import type { TableReply } from './answer-reply.ts';

/** a cell longer than this is cut with "…" (the CSV export has it whole) */
export const MAX_CELL = 60;
const GAP = '  ';

export interface PrintOptions {
  /** bold title and header (ANSI), for a TTY only */
  color: boolean;
}

function cell(text: string): string {
  const clean = inertLine(text);
  const chars = [...clean];
  return chars.length > MAX_CELL ? `${chars.slice(0, MAX_CELL - 1).join('')}…` : clean;
}

/** the length a terminal shows (code points: close enough for names; wide CJK may stray by a column) */
const width = (s: string): number => [...s].length;
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));

/** the table's lines, header first; none without columns */
export function tableLines(columns: readonly string[], rows: readonly (readonly string[])[], o: PrintOptions): string[] {
  if (columns.length === 0 || rows.length === 0) return [];
  const head = columns.map(cell);
  const body = rows.map((r) => columns.map((_, i) => cell(r[i] ?? '')));
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join(GAP).trimEnd();
  const header = line(head);
  return [o.color ? `\u001b[1m${header}\u001b[22m` : header, widths.map((w) => '─'.repeat(w)).join(GAP), ...body.map(line)];
}

/** the whole answer as printed, ending with a line break */
export function printReply(reply: TableReply, o: PrintOptions): string {
  const title = inertLine(reply.title);
  const lines = [
    o.color ? `\u001b[1m${title}\u001b[22m` : title,
    ...reply.summary.map(inertLine),
    ...(reply.notice ? [`! ${inertLine(reply.notice)}`] : []),
  ];
  const table = tableLines(reply.columns, reply.rows, o);
  if (table.length > 0) lines.push('', ...table);
  lines.push('', inertLine(reply.countLine));
  return `${lines.join('\n')}\n`;
}
