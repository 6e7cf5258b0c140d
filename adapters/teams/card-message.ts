/** An Adaptive Card as a Teams message activity (one attachment); `summary` is the notification line. */
import type { AdaptiveCard } from './render/adaptive-card-types.ts';
import type { OutgoingActivity } from './teams-types.ts';

export function cardMessage(card: AdaptiveCard, summary?: string): OutgoingActivity {
  return { type: 'message', ...(summary ? { summary } : {}), attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
}
