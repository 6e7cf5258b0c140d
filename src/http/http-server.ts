import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: string;
  path: string;
  handler: Handler;
}

/**
 * The bot's one HTTP server (SPEC §3). Routes are exact paths; other transports (Bolt at /slack/events,
 * botbuilder at /api/messages) join by adding routes whose handler is their own request listener.
 */
export class HttpRouter {
  private readonly routes = new Map<string, Map<string, Handler>>();

  constructor(private readonly log: Logger) {}

  add(method: string, path: string, handler: Handler): this {
    let byMethod = this.routes.get(path);
    if (!byMethod) this.routes.set(path, (byMethod = new Map()));
    byMethod.set(method.toUpperCase(), handler);
    return this;
  }

  /** the request listener for node:http */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const byMethod = this.routes.get(path);
    const handler = byMethod?.get(req.method ?? 'GET') ?? (req.method === 'HEAD' ? byMethod?.get('GET') : undefined);
    if (!byMethod) return sendError(res, new AppError('NOT_FOUND', `no route ${path}`, 404));
    if (!handler) {
      res.setHeader('allow', [...byMethod.keys()].join(', '));
      return sendError(res, new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`, 405));
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e: unknown) => {
        const err = toAppError(e);
        // 503 is an expected state (store closed while stopping); other 5xx are bugs worth a log line
        if (err.status >= 500 && err.status !== 503) this.log.error({ err: e, path }, 'request failed');
        sendError(res, err);
      });
  };

  createServer(): Server {
    const server = createServer(this.listener);
    // Okta waits 3 s for an answer; a client that trickles its headers or body gets far less patience
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 65_000;
    return server;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** an unexpected error becomes a bare 500: its message may hold internals and is not shown */
function toAppError(e: unknown): AppError {
  return e instanceof AppError ? e : new AppError('INTERNAL', 'internal error', 500);
}

export function sendError(res: ServerResponse, err: AppError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // a body we refused to read (413) may still be arriving: close the connection instead of reading it
  if (err.status === 413) res.setHeader('connection', 'close');
  sendJson(res, err.status, { error: err.code, message: err.message });
}
