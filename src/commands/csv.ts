/**
 * An answer as CSV (RFC 4180): CRLF line ends, every field quoted when it holds a comma, quote, CR or LF,
 * quotes doubled. Okta data is untrusted, and a spreadsheet runs a cell starting with `=`, `+`, `-`, `@`
 * (or tab / CR, which some apps strip first) as a formula (OWASP "CSV Injection"): such cells get a
 * leading `'`, which spreadsheets show as text.
 */
import type { Answer } from './answer.ts';

const FORMULA = /^[=+\-@\t\r]/;

export function neutralize(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

export function csvField(cell: string): string {
  const safe = neutralize(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(answer: Answer): string {
  const lines = [answer.columns, ...answer.rows.map((r) => r.cells)].map((cells) => cells.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** "oig-revokes-2026-11-21.csv" */
function csvFilename(kind: string, now: Date): string {
  return `oig-${kind}-${now.toISOString().slice(0, 10)}.csv`;
}

/** `/oig export …`: what a chat hands the asker (Slack uploads it, Teams serves it) and tells them */
export interface CsvExport {
  csv: string;
  filename: string;
  title: string;
  /** rows in the file: every row of the answer, not a page */
  rows: number;
  /** what the answer says matched (a campaign counts items, not rows) */
  matched: number;
}

/** the whole answer as a file named after its command `kind` and the day */
export function csvExport(answer: Answer, kind: string, now: Date): CsvExport {
  return { csv: toCsv(answer), filename: csvFilename(kind, now), title: answer.title, rows: answer.rows.length, matched: answer.matched };
}
