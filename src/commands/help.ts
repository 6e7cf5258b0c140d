/** The `/oig` help (SPEC §5 command table), with an example for each command, and how `since` is read. */
import type { Answer } from './answer.ts';

/** how a `since` date is read (parse.ts): the same in every time zone the bot may run in */
export const SINCE_RULES =
  '“since” takes a period (30m, 24h, 7d, 2w) or a date: 2026-11-01 and 2026-11-01T08:00 are UTC; add an offset for local time (2026-11-01T08:00-07:00, …Z).';

/** usage, what it answers, an example */
export const OIG_COMMANDS: ReadonlyArray<readonly [usage: string, answer: string, example: string]> = [
  ['/oig help', 'these commands', '/oig help'],
  ['/oig revokes [campaign <name>] [since <7d or date>]', 'REVOKE decisions', '/oig revokes campaign Q2 access review since 7d'],
  ['/oig skipped', 'open manual-remediation tasks', '/oig skipped'],
  ['/oig campaign <name or id>', 'totals by decision and remediation outcome, open tasks', '/oig campaign Q2 access'],
  ['/oig user <name, login or id>', "that person's timeline (decisions, remediations, requests, ASA)", '/oig user alice@example.com'],
  ['/oig resource <name>', 'who was reviewed for it and what happened', '/oig resource Salesforce'],
  ['/oig requests [open]', 'access requests', '/oig requests open'],
  ['/oig asa [user or server] [since <7d or date>]', 'ASA and Okta Privileged Access (OPA) audit events', '/oig asa alice since 7d'],
  ['/oig stats', 'counts, last event received, last poll', '/oig stats'],
  ['/oig export <any of the above>', 'the same as a CSV file: every matching row, each with its event id', '/oig export asa since 2026-10-01'],
];

export function helpAnswer(unknown?: string, notice?: string): Answer {
  // the word is echoed clipped: it is whatever someone typed
  const intro = unknown
    ? `“${unknown.slice(0, 40)}” is not an oig command. Commands:`
    : 'oig-chatops answers from its own store of Okta events. Commands:';
  return {
    title: 'oig commands',
    matched: OIG_COMMANDS.length,
    unit: 'commands',
    summary: [intro, SINCE_RULES],
    columns: ['command', 'answer', 'example'],
    rows: OIG_COMMANDS.map(([usage, answer, example]) => ({ line: `${usage} — ${answer} (e.g. ${example})`, cells: [usage, answer, example] })),
    ...(notice ? { notice } : {}),
  };
}
