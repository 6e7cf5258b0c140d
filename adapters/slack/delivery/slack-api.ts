/**
 * The three Web API calls the delivery needs, with every failure turned into a Failure (slack-errors.ts)
 * instead of an exception. The WebClient is built here so its options are in one place:
 *   - `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`: web-api would otherwise retry for up
 *     to half an hour and pause its whole request queue on one channel's 429; the outbox retries instead,
 *     per channel, honouring Retry-After;
 *   - a 10 s timeout, so a hung connection cannot stall a channel forever.
 */
import { webApi } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/bolt';
import { classify, type Failure } from './slack-errors.ts';
import type { SlackMessage } from '../render/render-card.ts';

export type CallResult = { ok: true; channel: string; ts: string } | { ok: false; failure: Failure };

export interface Identity {
  team?: string;
  teamId?: string;
  botId?: string;
  botUserId?: string;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; failure: Failure };

export interface SlackApiOptions {
  token: string;
  apiUrl: string;
  logger: SlackLogger;
  timeoutMs?: number;
}

export function deliveryClient(o: SlackApiOptions): webApi.WebClient {
  return new webApi.WebClient(o.token, {
    slackApiUrl: o.apiUrl,
    logger: o.logger,
    timeout: o.timeoutMs ?? 10_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** what a successful chat.* call returned, checked rather than trusted */
function accepted(res: { channel?: string; ts?: string }, channel: string): CallResult {
  if (typeof res.ts !== 'string') return { ok: false, failure: { kind: 'unknown', code: 'no_ts_in_answer' } };
  return { ok: true, channel: typeof res.channel === 'string' ? res.channel : channel, ts: res.ts };
}

export class SlackApi {
  constructor(private readonly client: webApi.WebClient) {}

  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<CallResult> {
    try {
      const res = await this.client.chat.postMessage({
        channel,
        text: message.text,
        // an empty blocks array is refused by chat.postMessage; a text-only message simply has none
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        // Okta text may contain URLs: no previews of links an attacker chose
        unfurl_links: false,
        unfurl_media: false,
      });
      return accepted(res, channel);
    } catch (err) {
      return { ok: false, failure: classify(err) };
    }
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<CallResult> {
    try {
      // blocks always sent: an empty array removes the old blocks when falling back to text only
      const res = await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
      return accepted(res, channel);
    } catch (err) {
      return { ok: false, failure: classify(err) };
    }
  }

  async authTest(): Promise<AuthResult> {
    try {
      const res = await this.client.auth.test();
      return {
        ok: true,
        identity: {
          ...(res.team ? { team: res.team } : {}),
          ...(res.team_id ? { teamId: res.team_id } : {}),
          ...(res.bot_id ? { botId: res.bot_id } : {}),
          ...(res.user_id ? { botUserId: res.user_id } : {}),
        },
      };
    } catch (err) {
      return { ok: false, failure: classify(err) };
    }
  }
}
