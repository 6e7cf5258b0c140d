/**
 * What /slack/events checks before Bolt sees a request.
 *
 * Bolt refuses signatures older than 5 minutes but accepts timestamps in the future (STACK-NOTES), so a
 * request signed with a far-future timestamp — say, by someone who once obtained a valid signature for it —
 * would stay replayable for as long as that future lasts. Slack's own rule is "within five minutes of now",
 * both ways; the future half is enforced here with 401, without reading the body.
 *
 * Slack sends slash commands and button clicks as exactly `application/x-www-form-urlencoded`; Bolt compares
 * the header literally and treats anything else as JSON (a `; charset=utf-8` suffix turns a valid command
 * into a 400). The suffix is dropped: the signature covers the body only, so this changes nothing it proves.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Slack's replay window (docs.slack.dev "Verifying requests from Slack"): five minutes */
export const MAX_SKEW_SECONDS = 300;

/** true when the x-slack-request-timestamp header is more than five minutes ahead of `nowMs` */
export function isFutureTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d+$/.test(header.trim())) return false; // Bolt refuses these itself
  return Number(header) > Math.floor(nowMs / 1000) + MAX_SKEW_SECONDS;
}

export interface GuardOptions {
  log: Logger;
  now?: () => number;
}

export function guardSlackRequests(listener: RequestListener, o: GuardOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = o.now ?? Date.now;
  return (req, res) => {
    if (isFutureTimestamp(req.headers['x-slack-request-timestamp'], now())) {
      o.log.warn({ timestamp: req.headers['x-slack-request-timestamp'] }, 'refused a Slack request timestamped in the future');
      // the body is not read: close the connection rather than drain it
      res.writeHead(401, { connection: 'close', 'content-length': 0 });
      res.end();
      return;
    }
    const type = req.headers['content-type'];
    if (typeof type === 'string' && /^application\/x-www-form-urlencoded\s*;/i.test(type)) {
      req.headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    listener(req, res);
  };
}
