/**
 * One incoming Teams activity, dispatched by type (issue 7), after the tenant check. Every other activity type (typing, reactions,
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
  // a single-tenant bot answers its own tenant only, whatever reached it (defence in depth: governance data)
  const tenant = a.channelData?.tenant?.id ?? a.conversation?.tenantId;
  if (d.tenantId && tenant && tenant.toLowerCase() !== d.tenantId.toLowerCase()) {
    d.log.warn({ tenant: tenant.slice(0, 64), type: a.type }, 'refused a Teams activity from another tenant than TEAMS_TENANT_ID');
    return { status: 403, body: { error: { code: 'WRONG_TENANT', message: 'this bot serves one Microsoft 365 tenant' } } };
  }
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
