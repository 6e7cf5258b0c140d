/**
 * The TeamsTransport on botbuilder 4.23 — the only file that imports botbuilder (issue 7: the SDK was
 * archived at the end of 2025; a move to the Microsoft 365 Agents SDK rewrites this file and nothing else).
 *
 *   - CloudAdapter with ConfigurationBotFrameworkAuthentication, single-tenant (TEAMS_APP_ID,
 *     TEAMS_APP_PASSWORD, TEAMS_TENANT_ID), as Azure creates bots now. With TEAMS_DEV_NO_AUTH=1 and no app
 *     id, botbuilder skips authentication (STACK-NOTES) and replies to the activity's serviceUrl unsigned.
 *   - The connector client (@azure/core-client) retries a 429 or 5xx up to three times itself, honouring
 *     Retry-After; botbuilder offers no way to turn that off (its `noRetryPolicy` option is ignored). What
 *     still fails reaches the paced delivery loop, which waits per conversation and keeps the card
 *     (src/delivery/delivery-loop.ts). The client has no timeout of its own either: every proactive call
 *     gets CALL_TIMEOUT_MS, so a connection Teams never answers cannot hold a conversation's lane forever.
 */
import type { ServerResponse } from 'node:http';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import type { Logger } from 'pino';
import { ConnectorCallError, type ConversationRef, type IncomingActivity, type InvokeReply, type TeamsMember, type TeamsTransport } from '../teams-types.ts';

export interface TransportConfig {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /** per proactive call, retries included (default CALL_TIMEOUT_MS) */
  callTimeoutMs?: number;
  /**
   * where channel tokens are checked against: Bot Framework's OpenID metadata and issuer by default; tests
   * point them at a local OpenID server so a signed token runs through botbuilder's real validation
   */
  tokenValidation?: { openIdMetadataUrl: string; issuer: string };
}

/** the connector's own retries honour Retry-After of a few seconds three times; past this, give up the call */
export const CALL_TIMEOUT_MS = 60_000;

/** what an error thrown by a connector call tells: HTTP status, Teams' error code, Retry-After in seconds */
interface ConnectorErrorInfo {
  status?: number;
  code?: string;
  retryAfterSeconds?: number;
}

/** CloudAdapter with its protected processActivity reachable: authentication + turn, the HTTP answer ours */
class TurnAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createBotFrameworkTransport(cfg: TransportConfig, log: Logger): TeamsTransport {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    ...(cfg.appId ? { MicrosoftAppId: cfg.appId, MicrosoftAppPassword: cfg.appPassword, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: cfg.tenantId } : {}),
  });
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      ...(cfg.appId ? { MicrosoftAppId: cfg.appId, MicrosoftAppTenantId: cfg.tenantId } : {}),
      ...(cfg.tokenValidation ? { ToBotFromChannelOpenIdMetadataUrl: cfg.tokenValidation.openIdMetadataUrl, ToBotFromChannelTokenIssuer: cfg.tokenValidation.issuer } : {}),
    },
    credentials,
  );
  const adapter = new TurnAdapter(auth);
  // no onTurnError: an error in a turn propagates to handle(), and the HTTP router logs it once and answers 500
  const appId = cfg.appId ?? '';

  const proactive = async (ref: ConversationRef, logic: (context: TurnContext) => Promise<void>): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectorCallError('Teams did not answer in time', undefined, 'timeout')), cfg.callTimeoutMs ?? CALL_TIMEOUT_MS);
    });
    try {
      await Promise.race([adapter.continueConversationAsync(appId, toReference(ref), logic), timeout]);
    } catch (err) {
      if (err instanceof ConnectorCallError) throw err;
      const info = connectorErrorInfo(err);
      throw new ConnectorCallError((err as Error)?.message ?? 'connector call failed', info.status, info.code, info.retryAfterSeconds);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async handle(req, body, res, handler) {
      // an invoke's answer travels as botbuilder's invokeResponse; another activity's (a refusal) is kept here
      let answer: InvokeReply | undefined;
      const logic = async (context: TurnContext): Promise<void> => {
        const reply = await handler({
          activity: incoming(context),
          reference: fromReference(TurnContext.getConversationReference(context.activity)),
          reply: async (activity) => (await context.sendActivity(activity as Partial<Activity>))?.id,
          member: (userId) => memberOf(context, userId, log),
        });
        if (reply && context.activity.type === 'invoke') {
          await context.sendActivity({ type: 'invokeResponse', value: { status: reply.status, body: reply.body } });
        } else {
          answer = reply;
        }
      };
      // processActivity rather than CloudAdapter.process: the same authentication and turn, but the answer
      // is ours to write (process prints every refused token's stack to stderr and answers 500 when Bot
      // Framework's signing keys cannot be fetched, which is a 503: Teams retries)
      const authHeader = String(req.headers.authorization ?? '');
      try {
        const invoke = (await adapter.run(authHeader, body as Activity, logic)) ?? answer;
        writeJson(res, invoke?.status ?? 200, invoke?.body);
      } catch (err) {
        const status = (err as { statusCode?: unknown }).statusCode;
        // botbuilder throws AuthenticationError (401) for most refusals, but lets the JWT library's own
        // errors through for a bad signature or a token not valid yet
        const jwtRefused = ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError'].includes((err as Error).name);
        if (status === 401 || status === 403 || jwtRefused) {
          log.warn({ reason: (err as Error).message }, 'refused a Teams request: no valid Bot Framework token');
          writeJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'no valid Bot Framework token' } });
        } else if ((err as { type?: unknown }).type === 'system' || (err as { code?: unknown }).code === 'ENOTFOUND') {
          log.error({ err: (err as Error).message }, 'could not reach Bot Framework to check a Teams token; answering 503 so Teams retries');
          writeJson(res, 503, { error: { code: 'AUTH_UNAVAILABLE', message: 'Bot Framework token keys could not be fetched' } });
        } else {
          throw err;
        }
      }
    },
    async send(ref, activity) {
      let id: string | undefined;
      await proactive(ref, async (context) => {
        // botbuilder marks a proactive message as a reply to its made-up continuation activity (a random
        // uuid): drop that, so Teams gets sendToConversation — a new post, or a reply when the conversation
        // id names a thread (`;messageid=`)
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        id = (await context.sendActivity(activity as Partial<Activity>))?.id;
      });
      if (!id) throw new ConnectorCallError('Teams accepted the message but gave no activity id', 502);
      return id;
    },
    async update(ref, activityId, activity) {
      await proactive(ref, async (context) => {
        await context.updateActivity({ ...(activity as Partial<Activity>), id: activityId });
      });
    },
  };
}

/** reads status, Teams error code and Retry-After from what the connector client threw */
function connectorErrorInfo(err: unknown): ConnectorErrorInfo {
  const e = err as { statusCode?: unknown; code?: unknown; response?: { headers?: { get?: (n: string) => string | undefined }; bodyAsText?: string } };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const retryAfter = e?.response?.headers?.get?.('retry-after');
  let code = typeof e?.code === 'string' ? e.code : undefined;
  try {
    const parsed = JSON.parse(e?.response?.bodyAsText ?? '') as { error?: { code?: unknown } };
    if (typeof parsed.error?.code === 'string') code = parsed.error.code;
  } catch {
    // not JSON: keep the client's code
  }
  const seconds = retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  return { ...(status !== undefined ? { status } : {}), ...(code ? { code } : {}), ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) };
}

/** the activity as the handler sees it: the bot's own @mention removed from the text */
function incoming(context: TurnContext): IncomingActivity {
  const a = context.activity;
  const text = a.type === 'message' ? TurnContext.removeRecipientMention(a) : a.text;
  return { ...(a as unknown as IncomingActivity), ...(typeof text === 'string' ? { text: text.trim() } : {}) };
}

async function memberOf(context: TurnContext, userId: string, log: Logger): Promise<TeamsMember | undefined> {
  try {
    const m = await TeamsInfo.getMember(context, userId);
    return {
      id: m.id,
      ...(m.name ? { name: m.name } : {}),
      ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
      ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
      ...(m.email ? { email: m.email } : {}),
    };
  } catch (err) {
    log.warn({ err: connectorErrorInfo(err), user: userId }, 'could not read the Teams roster entry; matching OIG_ALLOWED_USERS by AAD object id only');
    return undefined;
  }
}

/** the stored reference never carries an activity id: a proactive post starts a new thread */
function fromReference(r: Partial<ConversationReference>): ConversationRef {
  return {
    serviceUrl: r.serviceUrl ?? '',
    channelId: r.channelId ?? 'msteams',
    conversation: { ...(r.conversation ?? { id: '' }) } as ConversationRef['conversation'],
    bot: { id: r.bot?.id ?? '', ...(r.bot?.name ? { name: r.bot.name } : {}) },
  };
}

function toReference(ref: ConversationRef): Partial<ConversationReference> {
  return { serviceUrl: ref.serviceUrl, channelId: ref.channelId, conversation: ref.conversation as ConversationReference['conversation'], bot: { id: ref.bot.id, name: ref.bot.name ?? '' } };
}

/** the HTTP answer: an invoke's JSON body, or none */
function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined || body === null) {
    res.writeHead(status, { 'content-length': 0 }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
