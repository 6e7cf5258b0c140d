/**
 * Block Kit limits (docs.slack.dev Block Kit reference; checked in ../shared/STACK-NOTES.md). A message
 * that breaks one is refused whole with `invalid_blocks`, so the renderer keeps inside every one of them.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** `text` may hold 40,000 characters, but Slack advises staying under 4,000: it is the notification line */
  fallbackText: 3900,
} as const;
