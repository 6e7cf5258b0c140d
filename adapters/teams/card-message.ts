/** An Adaptive Card as a Teams message activity (one attachment); `summary` is the notification line. */
import type { AdaptiveCard } from './render/adaptive-card-types.ts';
import type { OutgoingActivity } from './teams-types.ts';

/** the content type of an Adaptive Card, in attachments and in invoke answers */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function cardMessage(card: AdaptiveCard, summary?: string): OutgoingActivity {
  return { type: 'message', ...(summary ? { summary } : {}), attachments: [{ contentType: ADAPTIVE_CARD, content: card }] };
}
