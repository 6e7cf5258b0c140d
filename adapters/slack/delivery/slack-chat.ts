/**
 * Slack as the delivery core sees it (src/delivery/chat-transport.ts): Block Kit (or text only), two Web API
 * calls, Slack's error codes, and where a card goes (SPEC §2: its family's channel, SLACK_CHANNEL_<FAMILY>
 * or SLACK_CHANNEL). A message reference is per card key: a card is posted in one channel only.
 */
import type { webApi } from '@slack/bolt';
import type { RouteFamily } from '../../../src/cards/card.ts';
import type { ChatTransport, Posted } from '../../../src/delivery/chat-transport.ts';
import { renderCard, renderPlain, type SlackMessage } from '../render/render-card.ts';
import { classify, fixFor } from './slack-errors.ts';

/** Slack said ok but gave no ts: nothing to reference, so the card does not count as posted */
class NoTsInAnswer extends Error {}

/** what a successful chat.* call returned, checked rather than trusted */
function accepted(res: { channel?: string; ts?: string }, channel: string): Posted {
  if (typeof res.ts !== 'string') throw new NoTsInAnswer();
  return { channel: typeof res.channel === 'string' ? res.channel : channel, ts: res.ts };
}

export function slackChat(client: webApi.WebClient, channels: Readonly<Record<RouteFamily, string | undefined>>): ChatTransport<SlackMessage> {
  return {
    chat: 'slack',
    product: 'Slack',
    methods: { post: 'chat.postMessage', update: 'chat.update' },
    render: (card, plain) => (plain ? renderPlain(card) : renderCard(card)),

    async post(_lane, to, message) {
      const res = await client.chat.postMessage({
        channel: to.channel,
        text: message.text,
        // an empty blocks array is refused by chat.postMessage; a text-only message simply has none
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(to.thread ? { thread_ts: to.thread } : {}),
        // Okta text may contain URLs: no previews of links an attacker chose
        unfurl_links: false,
        unfurl_media: false,
      });
      return accepted(res, to.channel);
    },

    async update(_lane, ref, message) {
      // blocks always sent: an empty array removes the old blocks when falling back to text only
      accepted(await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }), ref.channel);
    },

    classify: (err) => (err instanceof NoTsInAnswer ? { kind: 'unknown', code: 'no_ts_in_answer' } : classify(err)),
    refKey: (_lane, cardKey) => cardKey,
    // thread_ts only means something in the parent's channel
    threadTarget: (parent) => ({ channel: parent.channel, thread: parent.ts }),

    place(card, where) {
      for (const key of [card.key, card.threadKey]) {
        if (key === undefined) continue;
        const there = where.posted(key)?.channel ?? where.queued(key)?.channel;
        if (there) return [there];
      }
      const channel = channels[card.family];
      return channel === undefined ? [] : [channel];
    },
    unplaced: (family) => `no Slack channel for ${family} cards: they are not posted (set SLACK_CHANNEL or SLACK_CHANNEL_${family})`,
    fixFor,
  };
}
