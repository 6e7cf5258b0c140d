/**
 * The typed queries of `/oig …` (SPEC §5), the parser's output and the engine's input. Neutral: the Slack
 * and Teams adapters both parse the same words into these.
 */

/**
 * `since 7d` is relative to when the query runs (so a "more" page an hour later still means 7 days); a date is
 * absolute, UTC unless it was typed with an offset (`iso` is always UTC).
 */
export type Since = { kind: 'relative'; ms: number; text: string } | { kind: 'date'; iso: string; text: string };

export type OigQuery =
  | { kind: 'help'; unknown?: string }
  /** the words could not be understood in a way worth guessing at: say why, then the help */
  | { kind: 'invalid'; message: string }
  | { kind: 'revokes'; campaign?: string; since?: Since }
  | { kind: 'skipped' }
  | { kind: 'campaign'; name: string }
  | { kind: 'user'; name: string }
  | { kind: 'resource'; name: string }
  | { kind: 'requests'; open: boolean }
  | { kind: 'asa'; target?: string; since?: Since }
  | { kind: 'stats' };

export interface ParsedCommand {
  query: OigQuery;
  /** `export <command>`: the whole result as a CSV file instead of a page of it */
  export: boolean;
}
