/**
 * The answer to `/oig …` (SPEC §5), as a pure function of the words typed, so the Bolt listener stays a
 * translator. This issue ships `help`; any other word answers with the help too (saying it is not there
 * yet) until the command issue adds the queries. Answers are ephemeral: only the person who asked sees them.
 */
import type { Block } from '../render/blocks.ts';
import { escapeMrkdwn } from '../render/mrkdwn.ts';

/** the commands of SPEC §5, in its order */
export const OIG_COMMANDS: ReadonlyArray<readonly [usage: string, answer: string]> = [
  ['/oig help', 'these commands'],
  ['/oig revokes [campaign <name>] [since <7d or date>]', 'REVOKE decisions'],
  ['/oig skipped', 'open manual-remediation tasks'],
  ['/oig campaign <name or id>', 'totals by decision and remediation outcome, open tasks'],
  ['/oig user <name, login or id>', "that person's timeline (decisions, remediations, requests, ASA)"],
  ['/oig resource <name>', 'who was reviewed for it and what happened'],
  ['/oig requests [open]', 'access requests'],
  ['/oig asa [user or server]', 'recent ASA audit events'],
  ['/oig stats', 'counts, last event received, last poll'],
  ['/oig export <any of the above>', 'the same as a CSV file'],
];

export interface CommandReply {
  response_type: 'ephemeral';
  text: string;
  blocks: Block[];
}

function helpText(): string {
  return OIG_COMMANDS.map(([usage, answer]) => `\`${escapeMrkdwn(usage)}\` — ${escapeMrkdwn(answer)}`).join('\n');
}

export function answerOigCommand(text: string | undefined): CommandReply {
  const word = (text ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const intro = word === '' || word === 'help'
    ? '*oig-chatops* answers from its own store of Okta events. Commands:'
    : `\`${escapeMrkdwn(word.slice(0, 40))}\` is not available yet. Commands:`;
  const body = helpText();
  return {
    response_type: 'ephemeral',
    text: `${intro}\n${body}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Answers are only visible to you.' }] },
    ],
  };
}
