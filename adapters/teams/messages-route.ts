/**
 * POST /api/messages (SPEC §3): what the route checks before Bot Framework code sees a request.
 *
 *   - With an app id, a request without a Bearer token is 401 before its body is read (botbuilder would
 *     refuse it too, after reading and parsing it; the real JWT check stays botbuilder's).
 *   - Bodies over 1 MiB are 413 (Teams activities are a few KiB), non-JSON 400, a JSON non-object 400.
 *   - Teams retries an activity it got no answer to: a message or invoke that already acted is answered
 *     200 without acting again. That is decided after authentication, and only a turn that acted counts
 *     (seen-activities.ts): forged posts cannot suppress a genuine activity, and a failed turn's retry acts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import { sendError } from '../../src/http/http-server.ts';
import { readBody } from '../../src/http/read-body.ts';
import { publicBaseUrl } from './csv-exports.ts';
import { ALREADY_HANDLED, SeenActivities, type ActivityClaims } from './seen-activities.ts';
import type { TeamsTransport } from './teams-types.ts';
import { handleTurn } from './turns/turn-handler.ts';
import type { TurnDeps } from './turns/teams-context.ts';

export interface RouteOptions {
  /** TEAMS_APP_ID is set: Bot Framework authentication is on */
  authenticated: boolean;
  log: Logger;
  /** several replicas: which activities acted, for all of them (seen-activities.ts) */
  claims?: ActivityClaims;
}

/** ids of activities that act (messages, invokes): a retried one must not act twice */
const ACTING = new Set(['message', 'invoke']);

export function messagesRoute(transport: TeamsTransport, deps: TurnDeps, o: RouteOptions) {
  const seen = new SeenActivities({ capacity: 5000, log: o.log, ...(o.claims ? { shared: o.claims } : {}) });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (o.authenticated && !/^Bearer \S+/i.test(String(req.headers.authorization ?? ''))) {
      res.writeHead(401, { connection: 'close', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'a Bot Framework token is required' } }));
      return;
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('NOT_JSON', 'the body is not JSON', 400);
    }
    const missing = activityProblem(body);
    if (missing) throw new AppError('NOT_AN_ACTIVITY', `the body is not a Bot Framework activity: ${missing}`, 400);
    const activity = body as { type: string; id?: unknown; conversation?: { id?: unknown } };
    const dedupKey = ACTING.has(activity.type) && typeof activity.id === 'string' ? `${String(activity.conversation?.id)}|${activity.id}` : undefined;
    const publicUrl = publicBaseUrl(req);
    // the handler runs only for an authenticated activity: that is where duplicates are told apart
    await transport.handle(req, body, res, (turn) =>
      seen.once(dedupKey, () => handleTurn(turn, deps, { publicUrl })).then((reply) => {
        if (reply === ALREADY_HANDLED) o.log.info({ type: activity.type }, 'a Teams activity arrived again; answered without acting twice');
        return reply;
      }),
    );
    if (!res.writableEnded) sendError(res, new AppError('TEAMS_NO_ANSWER', 'the activity was not answered', 500));
  };
}

/**
 * What every activity Teams (or the Emulator) sends has, and the bot needs to answer at all: a type, the
 * https serviceUrl to answer to, the conversation. Anything else would fail deep inside botbuilder (500).
 */
function activityProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not a JSON object';
  const a = body as { type?: unknown; serviceUrl?: unknown; conversation?: { id?: unknown } };
  if (typeof a.type !== 'string' || a.type === '') return 'no type';
  if (typeof a.serviceUrl !== 'string' || !/^https?:\/\/[^\s/]+/i.test(a.serviceUrl)) return 'no http(s) serviceUrl';
  if (typeof a.conversation?.id !== 'string' || a.conversation.id === '') return 'no conversation id';
  return undefined;
}
