/**
 * One outbox item to its chat, the same for every chat (the transport makes the calls, chat-transport.ts):
 * an edit of the message its key already is, or a new message, in its parent's thread when the parent was
 * posted (a new top-level message when that thread is gone). The order of the durable writes is what makes
 * delivery exactly-once from a reader's point of view:
 *
 *   1. the chat accepts the post and answers with the message id (Slack ts, Teams activity id);
 *   2. the key → (channel, id) reference is written durably (message-refs.ts);
 *   3. the delivery loop removes the item from the outbox (outbox.ts).
 *
 * A crash between 2 and 3 leaves the item queued, but its key now names the posted message, so the retry is
 * an edit of that message with the same content: nothing new appears in the channel. What remains
 * at-least-once: a crash between 1 and 2 (a few milliseconds), or an answer lost on the way back (timeout,
 * connection cut after the chat accepted), posts the card again; neither Slack's chat.postMessage nor
 * Teams' sendActivity has an idempotency key to prevent that.
 */
import type { ChatCall, ChatTransport, PostTarget, Posted } from './chat-transport.ts';
import type { Failure, SendOutcome } from './failure.ts';
import type { MessageRefs } from './message-refs.ts';
import type { OutboxItem } from './outbox.ts';
import { PostGate } from './post-gate.ts';

type Attempt = { ok: true; posted: Posted } | { ok: false; failure: Failure };

async function post<M>(t: ChatTransport<M>, channel: string, to: PostTarget, message: M, call: ChatCall): Promise<Attempt> {
  try {
    return { ok: true, posted: await t.post(channel, to, message) };
  } catch (err) {
    return { ok: false, failure: t.classify(err, call) };
  }
}

export async function sendCard<M>(item: OutboxItem, t: ChatTransport<M>, refs: MessageRefs, gate: PostGate = new PostGate(), now: () => number = Date.now): Promise<SendOutcome> {
  // e.g. a Teams channel unsubscribed while the card waited: nothing to post there
  if (t.accepts && !t.accepts(item.channel)) return { status: 'skipped' };
  const { card, channel } = item;
  const message = t.render(card, item.plain === true);

  const key = card.key !== undefined ? t.refKey(channel, card.key) : undefined;
  const ref = key !== undefined ? refs.get(key) : undefined;
  if (key !== undefined && ref) {
    try {
      await t.update(channel, ref, message);
      return { status: 'delivered', method: t.methods.update, channel: ref.channel };
    } catch (err) {
      const failure = t.classify(err, 'update');
      if (failure.kind !== 'gone') return { status: 'failed', method: t.methods.update, failure };
      // deleted by someone, or no longer editable: forget it; the full card is posted anew below
      await refs.delete(key);
    }
  }
  if (card.updateOnly) return { status: 'skipped' };

  // the post and its reference write hold the gate together: that is the window a kill -9 can repeat
  return gate.run(async (): Promise<SendOutcome> => {
    const parent = card.threadKey !== undefined ? refs.get(t.refKey(channel, card.threadKey)) : undefined;
    const top: PostTarget = { channel };
    let sent = await post(t, channel, parent ? t.threadTarget(parent) : top, message, parent ? 'reply' : 'post');
    // the thread is gone (its first message deleted): a new top-level message instead
    if (!sent.ok && parent && sent.failure.kind === 'thread') sent = await post(t, channel, top, message, 'post');
    if (!sent.ok) return { status: 'failed', method: t.methods.post, failure: sent.failure };
    if (key !== undefined) await refs.set(key, { ...sent.posted, at: now() });
    return { status: 'delivered', method: t.methods.post, channel: sent.posted.channel };
  });
}
