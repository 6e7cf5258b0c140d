/**
 * Runs `/oig` commands against the store (SPEC §5), once for every chat: `chatCommand` parses the words and
 * gives a page of the answer or, for `export …`, the CSV file; `runQuery` runs a parsed query. Every answer
 * is computed from the in-memory indexes, synchronously: at 1M events the slowest query stays in the tens of
 * milliseconds (bench/oig-query.ts), well inside Slack's 3 s, so adapters can answer in the ack itself.
 */
import { pageOf, type Answer, type AnswerPage } from './answer.ts';
import { asa } from './asa.ts';
import { campaign } from './campaign.ts';
import { csvExport, type CsvExport } from './csv.ts';
import type { CommandDeps } from './deps.ts';
import type { LoadProgress } from '../store/event-store.ts';
import { helpAnswer } from './help.ts';
import { loadingAnswer, readsStoredEvents } from './loading.ts';
import { parseCommand } from './parse.ts';
import type { OigQuery, ParsedCommand } from './query.ts';
import { requests } from './requests.ts';
import { resource } from './resource.ts';
import { revokes } from './revokes.ts';
import { skipped } from './skipped.ts';
import { stats } from './stats.ts';
import { user } from './user.ts';

export function runQuery(q: OigQuery, deps: CommandDeps): Answer {
  switch (q.kind) {
    case 'help':
      return helpAnswer(q.unknown);
    case 'invalid':
      return helpAnswer(undefined, q.message);
    case 'revokes':
      return revokes(q, deps);
    case 'skipped':
      return skipped(deps);
    case 'campaign':
      return campaign(q, deps);
    case 'user':
      return user(q, deps);
    case 'resource':
      return resource(q, deps);
    case 'requests':
      return requests(q, deps);
    case 'asa':
      return asa(q, deps);
    case 'stats':
      return stats(deps);
  }
}

/** a query that would read a store still loading its records (fast start): how far it has come */
function stillLoading(query: OigQuery, deps: CommandDeps): LoadProgress | undefined {
  return readsStoredEvents(query) ? deps.store.loadProgress?.() : undefined;
}

/** a parsed query's answer; without a store only the help can be answered; "still loading" meanwhile */
function answerOf(query: OigQuery, deps: CommandDeps | undefined): Answer {
  if (deps) {
    const loading = stillLoading(query, deps);
    return loading ? loadingAnswer(loading) : runQuery(query, deps);
  }
  return query.kind === 'help' ? helpAnswer(query.unknown) : helpAnswer(undefined, 'No event store is connected to this chat app, so only the help is available.');
}

/** a chat command, parsed once, with what the chats make of it */
export interface ChatCommand {
  parsed: ParsedCommand;
  /** one page of the answer (an export's words too: their answer, a page of it) */
  page(n?: number): AnswerPage;
  /**
   * `export …` with a store connected: the whole answer as a CSV file, built when called (Slack tells the
   * asker the file is coming before it is made)
   */
  csv?: () => CsvExport;
}

/** The words of a chat command (Slack `/oig`, Teams `@OIG oig`, a "More" press) to what the chat shows. */
export function chatCommand(text: string | undefined, deps: CommandDeps | undefined): ChatCommand {
  const parsed = parseCommand(text);
  const { query } = parsed;
  return {
    parsed,
    page: (n = 0) => pageOf(answerOf(query, deps), n),
    // no export of half the events: while loading, the words get the "still loading" page instead
    ...(parsed.export && deps && !stillLoading(query, deps) ? { csv: () => csvExport(runQuery(query, deps), query.kind, deps.now?.() ?? new Date()) } : {}),
  };
}

/** one page of a chat command's answer */
export function answerPage(text: string | undefined, deps: CommandDeps | undefined, page = 0): AnswerPage {
  return chatCommand(text, deps).page(page);
}
