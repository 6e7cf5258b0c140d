/**
 * One outbox item to Slack: an edit of the message its key already is, or a new message (in its parent's
 * thread when the parent was posted). The order of the durable writes is what makes delivery exactly-once
 * from a reader's point of view:
 *
 *   1. Slack accepts chat.postMessage and answers with the message ts;
 *   2. the key → (channel, ts) reference is written durably (message-refs.ts);
 *   3. the loop removes the item from the outbox (outbox.ts).
 *
 * A crash between 2 and 3 leaves the item queued, but its key now names the posted message, so the retry is
 * a chat.update of that message with the same content: nothing new appears in the channel. What remains
 * at-least-once: a crash between 1 and 2 (a few milliseconds), or an answer lost on the way back (timeout,
 * connection cut after Slack accepted), posts the card again; Slack's chat.postMessage has no idempotency
 * key to prevent that.
 */
import { renderCard, renderPlain } from '../render/render-card.ts';
import type { SendOutcome } from '../../../src/delivery/failure.ts';
import type { MessageRefs } from '../../../src/delivery/message-refs.ts';
import type { OutboxItem } from '../../../src/delivery/outbox.ts';
import type { SlackApi } from './slack-api.ts';

export interface SendDeps {
  api: SlackApi;
  refs: MessageRefs;
  now: () => number;
}

export async function sendItem(item: OutboxItem, d: SendDeps): Promise<SendOutcome> {
  const { card } = item;
  const message = item.plain ? renderPlain(card) : renderCard(card);
  const ref = card.key !== undefined ? d.refs.get(card.key) : undefined;
  if (card.key !== undefined && ref) {
    const edited = await d.api.update(ref.channel, ref.ts, message);
    if (edited.ok) return { status: 'delivered', method: 'chat.update', channel: ref.channel };
    if (edited.failure.kind !== 'gone') return { status: 'failed', method: 'chat.update', failure: edited.failure };
    // deleted by someone, or no longer editable: forget it; a full card is posted anew below
    await d.refs.delete(card.key);
  }
  if (card.updateOnly) return { status: 'skipped' };

  const parent = card.threadKey !== undefined ? d.refs.get(card.threadKey) : undefined;
  // a reply belongs where its parent is, whatever channel its own family would choose
  let posted = await d.api.post(parent?.channel ?? item.channel, message, parent?.ts);
  if (!posted.ok && posted.failure.kind === 'thread') posted = await d.api.post(item.channel, message);
  if (!posted.ok) return { status: 'failed', method: 'chat.postMessage', failure: posted.failure };
  if (card.key !== undefined) await d.refs.set(card.key, { channel: posted.channel, ts: posted.ts, at: d.now() });
  return { status: 'delivered', method: 'chat.postMessage', channel: posted.channel };
}
