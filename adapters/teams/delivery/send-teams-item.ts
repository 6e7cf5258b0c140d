/**
 * One outbox item to one Teams conversation: an edit of the message its key already is there
 * (updateActivity), or a new message — in the thread of its parent when the parent was posted in that
 * conversation (Teams: post to `<channel>;messageid=<root id>`), else a new thread. The durable writes are
 * ordered as for Slack (adapters/slack/delivery/send-item.ts): Teams answers with the activity id → the
 * reference is written → the loop removes the item, so a crash after the reference turns the retry into an
 * edit. What stays at-least-once: a crash in the milliseconds between Teams' answer and that write.
 *
 * References are kept per conversation (`<conversation>#<card key>`): one card goes to every subscribed
 * channel of its family, and each has its own message.
 */
import type { Card } from '../../../src/cards/card.ts';
import type { SendOutcome } from '../../../src/delivery/failure.ts';
import type { MessageRefs } from '../../../src/delivery/message-refs.ts';
import type { OutboxItem } from '../../../src/delivery/outbox.ts';
import { cardMessage } from '../card-message.ts';
import { renderCard, renderPlainText } from '../render/render-card.ts';
import { channelOf, type Subscriptions } from '../subscriptions.ts';
import type { ConversationRef, OutgoingActivity, TeamsTransport } from '../teams-types.ts';
import { classifyTeams } from './teams-errors.ts';

export interface TeamsSendDeps {
  transport: TeamsTransport;
  refs: MessageRefs;
  subscriptions: Subscriptions;
  now: () => number;
}

export function refKey(conversationId: string, cardKey: string): string {
  return `${channelOf(conversationId)}#${cardKey}`;
}

export function activityFor(card: Card, plain = false): OutgoingActivity {
  const text = renderPlainText(card);
  return plain ? { type: 'message', text, textFormat: 'plain' } : cardMessage(renderCard(card), text);
}

export async function sendTeamsItem(item: OutboxItem, d: TeamsSendDeps): Promise<SendOutcome> {
  const { card } = item;
  const sub = d.subscriptions.get(item.channel);
  // unsubscribed while the card waited: nothing to post there
  if (!sub) return { status: 'skipped' };
  const at = (conversationId: string): ConversationRef => ({ ...sub.ref, conversation: { ...sub.ref.conversation, id: conversationId } });
  const activity = activityFor(card, item.plain);

  const key = card.key !== undefined ? refKey(item.channel, card.key) : undefined;
  const ref = key !== undefined ? d.refs.get(key) : undefined;
  if (key !== undefined && ref) {
    try {
      await d.transport.update(at(ref.channel), ref.ts, activity);
      return { status: 'delivered', method: 'updateActivity', channel: item.channel };
    } catch (err) {
      const failure = classifyTeams(err, 'update');
      if (failure.kind !== 'gone') return { status: 'failed', method: 'updateActivity', failure };
      // deleted by someone: forget it; the card is posted anew below
      await d.refs.delete(key);
    }
  }
  if (card.updateOnly) return { status: 'skipped' };

  const parent = card.threadKey !== undefined ? d.refs.get(refKey(item.channel, card.threadKey)) : undefined;
  const target = parent ? (parent.channel.includes(';messageid=') ? parent.channel : `${channelOf(parent.channel)};messageid=${parent.ts}`) : sub.ref.conversation.id;
  let id: string;
  let postedTo = target;
  try {
    id = await d.transport.send(at(target), activity);
  } catch (err) {
    const failure = classifyTeams(err, 'post');
    if (!parent || failure.kind !== 'channel') return { status: 'failed', method: 'sendActivity', failure };
    // the thread is gone (its first message deleted): a new thread instead
    try {
      postedTo = sub.ref.conversation.id;
      id = await d.transport.send(at(postedTo), activity);
    } catch (again) {
      return { status: 'failed', method: 'sendActivity', failure: classifyTeams(again, 'post') };
    }
  }
  if (key !== undefined) await d.refs.set(key, { channel: postedTo, ts: id, at: d.now() });
  return { status: 'delivered', method: 'sendActivity', channel: item.channel };
}
