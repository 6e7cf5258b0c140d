import { FileStateStore } from '../../src/store/file-state-store.ts';
/**
 * The one send algorithm (src/delivery/send-card.ts) against a chat kept in memory: the transport is the
 * chat product's side of the interface (what Slack or Teams would answer), the references are the real
 * journal. The end-to-end tests run the same code through real Bolt and botbuilder against fake servers.
 */
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import type { ChatCall, ChatTransport, PostTarget } from '../../src/delivery/chat-transport.ts';
import type { Failure } from '../../src/delivery/failure.ts';
import { MessageRefs } from '../../src/delivery/message-refs.ts';
import type { OutboxItem } from '../../src/delivery/outbox.ts';
import { PostGate } from '../../src/delivery/post-gate.ts';
import { sendCard } from '../../src/delivery/send-card.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

class Refused extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

/** a chat in memory: messages by id, calls recorded, the next answers refusable */
function memoryChat() {
  const messages = new Map<string, { channel: string; thread?: string; text: string }>();
  const calls: Array<{ call: ChatCall; to: string; thread?: string; text: string }> = [];
  const refusals: Partial<Record<ChatCall, Failure>> = {};
  const closed = new Set<string>();
  let next = 1;
  const refuse = (call: ChatCall) => {
    const f = refusals[call];
    if (f) throw new Refused(f);
  };
  const transport: ChatTransport<string> = {
    chat: 'slack',
    product: 'Memory',
    methods: { post: 'post', update: 'update' },
    render: (card, plain) => (plain ? `plain ${card.title}` : card.title),
    async post(_lane, to: PostTarget, text) {
      const call: ChatCall = to.thread ? 'reply' : 'post';
      calls.push({ call, to: to.channel, ...(to.thread ? { thread: to.thread } : {}), text });
      refuse(call);
      const ts = String(next++);
      messages.set(ts, { channel: to.channel, ...(to.thread ? { thread: to.thread } : {}), text });
      return { channel: to.channel, ts };
    },
    async update(_lane, ref, text) {
      calls.push({ call: 'update', to: ref.channel, text });
      refuse('update');
      messages.get(ref.ts)!.text = text;
    },
    classify: (err) => (err instanceof Refused ? err.failure : { kind: 'transient', code: 'error' }),
    refKey: (lane, key) => `${lane}#${key}`,
    threadTarget: (parent) => ({ channel: parent.channel, thread: parent.ts }),
    place: () => [],
    unplaced: () => '',
    accepts: (lane) => !closed.has(lane),
    fixFor: () => '',
  };
  return { transport, messages, calls, refusals, closed };
}

const card = (title: string, over: Partial<Card> = {}): Card => ({
  kind: 'decision', family: 'CERTIFICATION', severity: 'warning', title, facts: [], eventIds: [], at: '2024-05-02T09:30:00.000Z', ...over,
});
const item = (c: Card, over: Partial<OutboxItem> = {}): OutboxItem => ({ id: 1, channel: 'C1', card: c, version: 1, queuedAt: '2024-05-02T09:30:00.000Z', ...over });

async function setup() {
  return { chat: memoryChat(), refs: await MessageRefs.open(new FileStateStore(await makeDataDir()), 'test-messages') };
}

describe('sendCard', () => {
  it('posts a new card, remembers its message, and edits that message for the next version', async () => {
    const { chat, refs } = await setup();
    expect(await sendCard(item(card('v1', { key: 'k' })), chat.transport, refs, new PostGate(), () => 7)).toEqual({ status: 'delivered', method: 'post', channel: 'C1' });
    expect(refs.get('C1#k')).toEqual({ channel: 'C1', ts: '1', at: 7 });
    expect(await sendCard(item(card('v2', { key: 'k' })), chat.transport, refs)).toEqual({ status: 'delivered', method: 'update', channel: 'C1' });
    expect(chat.messages.get('1')!.text).toBe('v2');
    expect(chat.calls.map((c) => c.call)).toEqual(['post', 'update']);
  });

  it('posts anew when the message to edit is gone, and forgets the old one', async () => {
    const { chat, refs } = await setup();
    await sendCard(item(card('v1', { key: 'k' })), chat.transport, refs);
    chat.refusals.update = { kind: 'gone', code: 'message_not_found' };
    expect(await sendCard(item(card('v2', { key: 'k' })), chat.transport, refs)).toMatchObject({ status: 'delivered', method: 'post' });
    expect(refs.get('C1#k')!.ts).toBe('2');
  });

  it('keeps the reference when an edit fails for another reason', async () => {
    const { chat, refs } = await setup();
    await sendCard(item(card('v1', { key: 'k' })), chat.transport, refs);
    chat.refusals.update = { kind: 'rate_limited', retryAfterMs: 1000 };
    expect(await sendCard(item(card('v2', { key: 'k' })), chat.transport, refs)).toEqual({ status: 'failed', method: 'update', failure: { kind: 'rate_limited', retryAfterMs: 1000 } });
    expect(refs.get('C1#k')!.ts).toBe('1');
  });

  it('skips an edit-only card whose message was never posted, without a call', async () => {
    const { chat, refs } = await setup();
    expect(await sendCard(item(card('status', { key: 'k', updateOnly: true })), chat.transport, refs)).toEqual({ status: 'skipped' });
    expect(chat.calls).toEqual([]);
  });

  it('skips a card whose channel stopped taking cards while it waited', async () => {
    const { chat, refs } = await setup();
    chat.closed.add('C1');
    expect(await sendCard(item(card('v1', { key: 'k' })), chat.transport, refs)).toEqual({ status: 'skipped' });
    expect(chat.calls).toEqual([]);
  });

  it("replies in the parent's thread, and starts a new message when that thread is gone", async () => {
    const { chat, refs } = await setup();
    await sendCard(item(card('parent', { key: 'p' })), chat.transport, refs);
    await sendCard(item(card('reply', { key: 'r1', threadKey: 'p' })), chat.transport, refs);
    expect(chat.calls[1]).toEqual({ call: 'reply', to: 'C1', thread: '1', text: 'reply' });
    chat.refusals.reply = { kind: 'thread', code: 'thread_not_found' };
    expect(await sendCard(item(card('late reply', { key: 'r2', threadKey: 'p' })), chat.transport, refs)).toMatchObject({ status: 'delivered', method: 'post' });
    expect(chat.calls.slice(2)).toEqual([
      { call: 'reply', to: 'C1', thread: '1', text: 'late reply' },
      { call: 'post', to: 'C1', text: 'late reply' },
    ]);
    expect(refs.get('C1#r2')!.ts).toBe('3');
  });

  it('renders as text only once the chat refused the rich card, and reports a refused post', async () => {
    const { chat, refs } = await setup();
    chat.refusals.post = { kind: 'rejected', code: 'invalid_blocks' };
    expect(await sendCard(item(card('v1', { key: 'k' })), chat.transport, refs)).toEqual({ status: 'failed', method: 'post', failure: { kind: 'rejected', code: 'invalid_blocks' } });
    expect(refs.get('C1#k')).toBeUndefined();
    delete chat.refusals.post;
    await sendCard(item(card('v1', { key: 'k' }), { plain: true }), chat.transport, refs);
    expect(chat.messages.get('1')!.text).toBe('plain v1');
  });

  it('lets one new message at a time through the gate, its reference written before the next post (a kill -9 repeats at most one)', async () => {
    const { chat, refs } = await setup();
    const events: string[] = [];
    const slow: ChatTransport<string> = {
      ...chat.transport,
      async post(lane, to, text) {
        events.push(`post ${text}`);
        await new Promise((r) => setTimeout(r, 30));
        return chat.transport.post(lane, to, text);
      },
    };
    const watched = Object.create(refs) as MessageRefs;
    watched.set = async (key, ref) => {
      await refs.set(key, ref);
      events.push(`ref ${key}`);
    };
    const gate = new PostGate();
    // two lanes (channels) at once, sharing the bot's gate
    await Promise.all([
      sendCard(item(card('a', { key: 'a' }), { channel: 'C1' }), slow, watched, gate),
      sendCard(item(card('b', { key: 'b' }), { id: 2, channel: 'C2' }), slow, watched, gate),
    ]);
    expect(events).toEqual(['post a', 'ref C1#a', 'post b', 'ref C2#b']);
  });
});
