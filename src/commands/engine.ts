/**
 * Runs a parsed `/oig` query against the store (SPEC §5). Every answer is computed from the in-memory
 * indexes, synchronously: at 1M events the slowest query stays in the tens of milliseconds (bench/oig-query.ts),
 * well inside Slack's 3 s, so adapters can answer in the ack itself.
 */
import { pageOf, type Answer, type AnswerPage } from './answer.ts';
import { asa } from './asa.ts';
import { campaign } from './campaign.ts';
import type { CommandDeps } from './deps.ts';
import { helpAnswer } from './help.ts';
import { parseCommand } from './parse.ts';
import type { OigQuery } from './query.ts';
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

/**
 * The words of a chat command to one page of its answer (Slack `/oig`, Teams `@OIG oig`). Without a store
 * only the help can be answered.
 */
export function answerPage(text: string | undefined, deps: CommandDeps | undefined, page = 0): AnswerPage {
  const { query } = parseCommand(text);
  const answer = deps ? runQuery(query, deps) : query.kind === 'help' ? helpAnswer(query.unknown) : helpAnswer(undefined, 'No event store is connected to this chat app, so only the help is available.');
  return pageOf(answer, page);
}
