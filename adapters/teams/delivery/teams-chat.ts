/**
 * Teams as the delivery core sees it (src/delivery/chat-transport.ts): an Adaptive Card (or plain text),
 * proactive sendActivity / updateActivity through the conversation reference a subscription keeps
 * (subscriptions.ts), the connector's errors (teams-errors.ts), and where a card goes: every conversation
 * subscribed to its family, plus any where its message or its thread parent already is (an edit or a reply
 * goes where its message is, even if that channel has narrowed its families since).
 *
 * References are kept per conversation (`<conversation>#<card key>`): one card goes to every subscribed
 * channel of its family, and each has its own message. A reply is posted to `<channel>;messageid=<root id>`,
 * which is how Teams names a thread.
 */
import type { ChatTransport } from '../../../src/delivery/chat-transport.ts';
import { cardMessage } from '../card-message.ts';
import { renderCard, renderPlainText } from '../render/render-card.ts';
import { channelOf, type Subscriptions } from '../subscriptions.ts';
import type { ConversationRef, OutgoingActivity, TeamsTransport } from '../teams-types.ts';
import { classifyTeams, fixForTeams } from './teams-errors.ts';

function refKey(conversationId: string, cardKey: string): string {
  return `${channelOf(conversationId)}#${cardKey}`;
}

export function teamsChat(bf: TeamsTransport, subscriptions: Subscriptions): ChatTransport<OutgoingActivity> {
  /** a proactive call goes through the lane's subscription: its conversation reference, pointed at `id` */
  const at = (lane: string, id: string): ConversationRef => {
    const sub = subscriptions.get(lane);
    // unsubscribed during the call: a transient failure, and the retry skips it (`accepts`)
    if (!sub) throw new Error(`${lane} is no longer subscribed`);
    return { ...sub.ref, conversation: { ...sub.ref.conversation, id } };
  };

  return {
    chat: 'teams',
    product: 'Teams',
    methods: { post: 'sendActivity', update: 'updateActivity' },
    render(card, plain) {
      const text = renderPlainText(card);
      return plain ? { type: 'message', text, textFormat: 'plain' } : cardMessage(renderCard(card), text);
    },
    post: async (lane, to, activity) => ({ channel: to.channel, ts: await bf.send(at(lane, to.channel), activity) }),
    update: (lane, ref, activity) => bf.update(at(lane, ref.channel), ref.ts, activity),
    classify: classifyTeams,
    refKey,
    threadTarget: (parent) => ({ channel: parent.channel.includes(';messageid=') ? parent.channel : `${channelOf(parent.channel)};messageid=${parent.ts}` }),

    place(card, where) {
      // an edit-only card too: its message may still be waiting in the outbox there (they coalesce), and
      // where it was never posted the loop skips it without a call
      const out = new Set(subscriptions.forFamily(card.family));
      for (const sub of subscriptions.list()) {
        const id = sub.ref.conversation.id;
        for (const key of [card.key, card.threadKey]) if (key !== undefined && where.posted(refKey(id, key))) out.add(id);
      }
      return [...out];
    },
    unplaced: (family) =>
      `no Teams conversation is subscribed to ${family} cards: they are not posted in Teams (add the bot to a team, or write "@OIG oig subscribe" in a channel)`,
    accepts: (lane) => subscriptions.get(lane) !== undefined,
    fixFor: fixForTeams,
  };
}
