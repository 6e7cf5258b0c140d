import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors.ts';
import { sendJson } from '../http/http-server.ts';
import { readBody } from '../http/read-body.ts';
import type { Intake } from '../intake/intake.ts';
import { parseEnvelope } from './envelope.ts';
import { verifyHookAuth } from './verify-hook-auth.ts';

export interface HookRouteOptions {
  authHeader: string;
  secret: string;
  intake: Intake;
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('NOT_JSON', 'the body is not valid JSON', 400);
    }
    const delivery = parseEnvelope(parsed);
    await o.intake.receiveDelivery(delivery, 'hook');
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  };

  return { verify, deliver };
}
