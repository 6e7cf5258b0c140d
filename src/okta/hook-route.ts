import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors.ts';
import { sendJson } from '../http/http-server.ts';
import { readBody } from '../http/read-body.ts';
import type { Intake } from '../intake/intake.ts';
import type { NormalizePool } from '../intake/normalize-pool.ts';
import { verifyHookAuth } from './verify-hook-auth.ts';

export interface HookRouteOptions {
  authHeader: string;
  secret: string;
  intake: Intake;
  /** parses and normalizes bodies off the event loop */
  normalizer: NormalizePool;
}

/**
 * GET and POST /okta/hooks (SPEC §3). A thin transport: authenticate, parse, hand the events to intake,
 * and answer 200 only once intake says they are durably stored. Okta retries once on a timeout or 5xx and
 * never on a 4xx, so a 4xx is only ever sent for a delivery that could never succeed.
 */
export function hookRoutes(o: HookRouteOptions) {
  const authenticate = (req: IncomingMessage) => {
    if (!verifyHookAuth(req.headers, o.authHeader, o.secret)) {
      throw new AppError('UNAUTHORIZED', `missing or wrong ${o.authHeader} header`, 401);
    }
  };

  /** Okta's one-time verification when the hook is registered */
  const verify = (req: IncomingMessage, res: ServerResponse) => {
    authenticate(req);
    const challenge = req.headers['x-okta-verification-challenge'];
    if (typeof challenge !== 'string' || challenge === '') {
      throw new AppError('NO_CHALLENGE', 'missing X-Okta-Verification-Challenge header', 400);
    }
    sendJson(res, 200, { verification: challenge });
  };

  const deliver = async (req: IncomingMessage, res: ServerResponse) => {
    authenticate(req);
    const body = await readBody(req);
    const outcome = await o.normalizer.parse(body, 'hook');
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message, outcome.status);
    await o.intake.receiveDelivery(outcome.delivery, 'hook');
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  };

  return { verify, deliver };
}
