/**
 * What a failed chat API call means for a card waiting in an outbox, in words every chat adapter shares.
 * Each adapter classifies its own errors into these (adapters/slack/delivery/slack-errors.ts,
 * adapters/teams/delivery/teams-errors.ts); the paced delivery loop alone decides when to try again.
 */
export type Failure =
  /** 429: wait `retryAfterMs` (Retry-After), then try the same call again */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** the chat service unreachable, 5xx, timeouts, 429 without Retry-After: back off and retry, never drop */
  | { kind: 'transient'; code: string }
  /** the bot's credentials are refused: nothing can be posted anywhere until someone fixes them */
  | { kind: 'token'; code: string }
  /** this channel (conversation) refuses the bot: park it, keep its cards */
  | { kind: 'channel'; code: string }
  /** this message can never be accepted as it is (bad blocks, too long) */
  | { kind: 'rejected'; code: string }
  /** an edit: the message to edit is gone or may not be edited */
  | { kind: 'gone'; code: string }
  /** a reply in a thread: the parent is gone; post top-level instead */
  | { kind: 'thread'; code: string }
  /** a refusal we do not know: retried a few times, then dropped as rejected */
  | { kind: 'unknown'; code: string };

/** what one attempt to deliver an outbox item came to */
export type SendOutcome =
  | { status: 'delivered'; method: string; channel: string }
  /** an edit-only card whose message was never posted: nothing to do */
  | { status: 'skipped' }
  | { status: 'failed'; method: string; failure: Failure };
