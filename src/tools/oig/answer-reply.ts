/**
 * `npm run oig`'s question and answer as plain JSON (issue 14 §1). The running bot computes the reply in its
 * own process (socket-server.ts) and the CLI computes the very same reply itself when no bot runs
 * (offline-deps.ts): both call `replyTo`, which goes through the engine every chat uses (chatCommand in
 * src/commands/engine.ts), so a terminal answer is the /oig answer, not a copy of it.
 */
import { matchedLine, pageOf } from '../../commands/answer.ts';
import type { CsvExport } from '../../commands/csv.ts';
import type { CommandDeps } from '../../commands/deps.ts';
import { chatCommand } from '../../commands/engine.ts';
import { readsStoredEvents } from '../../commands/loading.ts';

/** the `/oig` words, as typed after `npm run oig --` */
export interface OigRequest {
  words: string;
  /** 0-based page as /oig pages it; absent: every row */
  page?: number;
  /** the engine's CSV export of the words (`export` is put in front when missing) */
  csv?: boolean;
}

/** an answer as a table: the rows' cells under the answer's columns */
export interface TableReply {
  kind: 'answer';
  title: string;
  /** "3 matched", "12 commands matched · page 1 of 2", or "still loading" */
  countLine: string;
  summary: string[];
  notice?: string;
  columns: string[];
  rows: string[][];
  /** the words were not a command (the help, with why): the CLI exits 2 */
  usage: boolean;
  /** the store was still loading: no answer yet (the CLI exits 1) */
  loading: boolean;
}

export interface CsvReply {
  kind: 'csv';
  export: CsvExport;
}

export interface ErrorReply {
  kind: 'error';
  message: string;
}

export type OigReply = TableReply | CsvReply | ErrorReply;

/** the longest words accepted: /oig words are a few dozen characters; a name is at most a few hundred */
export const MAX_WORDS = 2_000;

/** the reply to a question, computed by the engine from `deps` (undefined: no store, only the help) */
export function replyTo(req: OigRequest, deps: CommandDeps | undefined): OigReply {
  const words = req.csv && !/^\s*export\b/i.test(req.words) ? `export ${req.words}` : req.words;
  const command = chatCommand(words, deps);
  const { query } = command.parsed;
  const usage = query.kind === 'invalid' || (query.kind === 'help' && query.unknown !== undefined);
  const loading = readsStoredEvents(query) && deps?.store.loadProgress?.() !== undefined;
  if (req.csv && command.csv) return { kind: 'csv', export: command.csv() };
  const first = command.page(req.page ?? 0);
  // every row: one page as long as the answer (the engine's count line then names no page)
  const page = req.page === undefined ? pageOf(first.answer, 0, Math.max(1, first.answer.rows.length)) : first;
  const { answer } = page;
  return {
    kind: 'answer',
    title: answer.title,
    countLine: matchedLine(page),
    summary: answer.summary,
    ...(answer.notice ? { notice: answer.notice } : {}),
    columns: answer.columns,
    rows: page.rows.map((r) => r.cells),
    usage,
    loading,
  };
}

/** a request read from the socket (untrusted: every local process of the bot's user may write there) */
export function parseRequest(line: string): OigRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the request is not JSON: send one line {"words":"skipped"}';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the request must be a JSON object with "words"';
  const { words, page, csv } = value as Record<string, unknown>;
  if (typeof words !== 'string') return '"words" must be a string: the /oig words, e.g. "revokes since 7d"';
  if (words.length > MAX_WORDS) return `"words" is longer than ${MAX_WORDS} characters`;
  if (page !== undefined && !(Number.isInteger(page) && (page as number) >= 0 && (page as number) < 1_000_000)) return '"page" must be a whole number from 0';
  if (csv !== undefined && typeof csv !== 'boolean') return '"csv" must be true or false';
  return { words, ...(page !== undefined ? { page: page as number } : {}), ...(csv ? { csv } : {}) };
}
