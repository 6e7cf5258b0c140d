/**
 * The Web API client of the delivery (chat.postMessage and chat.update, slack-chat.ts) and the token
 * check (auth.test), its failure turned into a Failure (slack-errors.ts). The WebClient is built here so
 * its options are in one place:
 *   - `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`: web-api would otherwise retry for up
 *     to half an hour and pause its whole request queue on one channel's 429; the outbox retries instead,
 *     per channel, honouring Retry-After;
 *   - a 10 s timeout, so a hung connection cannot stall a channel forever.
 */
import { webApi } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/bolt';
import { classify, type Failure } from './slack-errors.ts';

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

/** auth.test: who the token belongs to, or why it was refused */
export async function authTest(client: webApi.WebClient): Promise<AuthResult> {
  try {
    const res = await client.auth.test();
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
