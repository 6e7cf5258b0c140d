/**
 * One incoming Teams activity, dispatched by type (issue 7). Every other activity type (typing, reactions,
 * installation updates) is acknowledged with 200 and nothing else; an invoke the bot does not handle gets
 * 501, as botbuilder's ActivityHandler answers.
 */
import type { InvokeReply, Turn } from '../teams-types.ts';
import { onCardAction } from './card-actions.ts';
import { onConversationUpdate } from './conversation-events.ts';
import { onMessage } from './message-commands.ts';
import type { RequestInfo, TurnDeps } from './teams-context.ts';

export async function handleTurn(turn: Turn, d: TurnDeps, req: RequestInfo): Promise<InvokeReply | undefined> {
  const a = turn.activity;
  switch (a.type) {
    case 'message':
      await onMessage(turn, d, req);
      return undefined;
    case 'conversationUpdate':
      await onConversationUpdate(turn, d);
      return undefined;
    case 'invoke':
      if (a.name === 'adaptiveCard/action') return onCardAction(turn, d, req);
      return { status: 501 };
    default:
      return undefined;
  }
}
