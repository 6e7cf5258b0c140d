/**
 * The bot added to or removed from a team (conversationUpdate, issue 7 §2). Added: Teams names the team's
 * General channel as the conversation; it is subscribed to every card family and told how to change that.
 * Removed: every subscribed channel of that team is forgotten (posting there would fail anyway). Installs
 * in a personal chat or group chat subscribe nothing: there people ask, and `oig subscribe` is one line.
 */
import { cardMessage } from '../card-message.ts';
import { renderNotice } from '../render/render-answer.ts';
import type { Turn } from '../teams-types.ts';
import { familiesText } from '../teams-words.ts';
import type { TurnDeps } from './teams-context.ts';

export async function onConversationUpdate(turn: Turn, d: TurnDeps): Promise<void> {
  const a = turn.activity;
  const botId = a.recipient?.id;
  const teamId = a.channelData?.team?.id;
  const isBot = (m: { id?: string }) => botId !== undefined && m.id === botId;
  if (a.membersRemoved?.some(isBot)) {
    const gone = teamId ? await d.subscriptions.removeTeam(teamId) : (await d.subscriptions.unsubscribe(a.conversation?.id ?? '')) ? 1 : 0;
    d.log.info({ team: teamId, unsubscribed: gone }, 'the bot was removed from a Teams team or chat');
    return;
  }
  if (!a.membersAdded?.some(isBot)) return;
  if (a.conversation?.conversationType !== 'channel' || !teamId) {
    d.log.info({ conversation: a.conversation?.conversationType }, 'the bot was added to a Teams chat');
    await turn.reply(cardMessage(renderNotice('Hello! Ask me about Okta Identity Governance: write "oig help". In a team channel, "@OIG oig subscribe" sends cards there.')));
    return;
  }
  const sub = await d.subscriptions.subscribe(turn.reference, [], 'added to the team', teamId);
  d.log.info({ conversation: sub.ref.conversation.id, team: a.channelData?.team?.name }, 'the bot was added to a Teams team: its General channel is subscribed');
  await turn.reply(
    cardMessage(
      renderNotice(`oig-chatops will post ${familiesText(sub.families)} here. In any channel, "@OIG oig subscribe [families]" sends cards there, "@OIG oig unsubscribe" stops them; "@OIG oig help" lists the commands.`),
    ),
  );
}
