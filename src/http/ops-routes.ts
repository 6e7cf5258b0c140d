/**
 * The operator's routes on the bot's one server (SPEC §3, §9):
 *
 *   GET /healthz   the process is alive and its event store can write (503 while writes fail): restart on it
 *   GET /readyz    200 once the stored events are loaded and every configured chat accepted its token, 503
 *                  before, naming what it waits for: send traffic on it. Each replica answers for itself (a
 *                  follower is ready too: it takes hooks, /oig and buttons)
 *   GET /metrics   Prometheus text: the bot's oig_* series and the process' own (CPU, memory, heap, event
 *                  loop lag, GC); with METRICS_TOKEN only for `Authorization: Bearer <token>`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../metrics.ts';
import type { EventStore } from '../store/event-store.ts';
import { verifyBearer } from './bearer-token.ts';
import { sendJson, type HttpRouter } from './http-server.ts';
import type { Readiness, ReadyState } from './readiness.ts';

export interface OpsRouteDeps {
  store: EventStore;
  metrics: Metrics;
  readiness: Readiness;
  /** METRICS_TOKEN: when set, /metrics answers only a request that carries it */
  metricsToken?: string | undefined;
}

export function addOpsRoutes(router: HttpRouter, d: OpsRouteDeps): void {
  router
    .add('GET', '/healthz', (_req, res) => {
      const health = d.store.health();
      d.metrics.storeHealthy.set(health.ok ? 1 : 0);
      if (health.ok) sendJson(res, 200, { status: 'ok' });
      else sendJson(res, 503, { status: 'unavailable', message: health.problem ?? 'the event store cannot write' });
    })
    .add('GET', '/readyz', (_req, res) => {
      const { ready, waitingFor } = d.readiness.state();
      d.metrics.ready.set(ready ? 1 : 0);
      if (ready) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'not ready', waitingFor, message: `not ready: ${waitingFor.join('; ')}` });
    })
    .add('GET', '/metrics', async (req, res) => {
      if (d.metricsToken !== undefined && !verifyBearer(req.headers.authorization, d.metricsToken)) return refuse(req, res);
      d.metrics.storeHealthy.set(d.store.health().ok ? 1 : 0);
      const progress = d.store.loadProgress();
      d.metrics.storeLoaded.set(progress ? progress.loaded / Math.max(1, progress.total) : d.store.isOpen ? 1 : 0);
      d.metrics.ready.set(d.readiness.state().ready ? 1 : 0);
      const text = await d.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': d.metrics.registry.contentType });
      res.end(text);
    });
}

/** the event store's part of readiness: open, loaded, and able to write */
export function storeReadiness(store: EventStore): ReadyState {
  if (!store.isOpen) return { ok: false, why: 'store not open' };
  const progress = store.loadProgress();
  if (progress) return { ok: false, why: `store loading ${Math.floor((100 * progress.loaded) / Math.max(1, progress.total))}% (${progress.loaded} of ${progress.total} events)` };
  const health = store.health();
  if (!health.ok) return { ok: false, why: `store cannot write: ${health.problem ?? 'writes fail'}` };
  return { ok: true };
}

/** 401 with the scheme to use (RFC 6750 §3); a wrong token is told apart from none, never echoed or logged */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  const sent = req.headers.authorization !== undefined;
  const text = sent ? 'wrong bearer token for /metrics (METRICS_TOKEN)\n' : 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>\n';
  res.writeHead(401, {
    'www-authenticate': sent ? 'Bearer realm="metrics", error="invalid_token"' : 'Bearer realm="metrics"',
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
