/**
 * The answers to an `adaptiveCard/action` invoke (Teams Universal Actions, card 1.4+). The HTTP answer is
 * 200 with `{statusCode, type, value}` in the body: a card replaces the one the button was on (for the
 * clicker at once; the message itself is edited through the outbox so everyone sees it), a message is
 * shown to the clicker only — Teams' private answer, as Slack's ephemeral reply is.
 */
import { ADAPTIVE_CARD } from '../card-message.ts';
import type { AdaptiveCard } from '../render/adaptive-card-types.ts';
import type { InvokeReply } from '../teams-types.ts';

export const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
export const ERROR_RESPONSE = 'application/vnd.microsoft.error';

export function cardReply(card: AdaptiveCard): InvokeReply {
  return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: card } };
}

/** a short text for the clicker only (Teams shows it next to the card) */
export function messageReply(text: string): InvokeReply {
  return { status: 200, body: { statusCode: 200, type: MESSAGE_RESPONSE, value: text } };
}

/** the invoke itself is wrong (unknown verb, missing data): Teams shows the message as an error */
export function errorReply(message: string, code = 'BadRequest'): InvokeReply {
  return { status: 200, body: { statusCode: 400, type: ERROR_RESPONSE, value: { code, message } } };
}
