import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for the ASA API, for `npm run demo` only: one team, one key, one page of audit events
 * shaped like Okta's documented auditsV2 body (details values are keys into related_objects). The bot's
 * real ASA poller reads it, so the demo shows ASA cards without an ASA account.
 */
export const DEMO_ASA = { team: 'demo-team', keyId: 'demo-key-id', keySecret: 'demo-key-secret-not-a-real-one' };

const USERS = {
  u1: { type: 'user', object: { name: 'alice', status: 'ACTIVE', details: { full_name: 'Alice Example', email: 'alice@example.com' } } },
  u2: { type: 'user', object: { name: 'erin', status: 'ACTIVE', details: { full_name: 'Erin Example', email: 'erin@example.com' } } },
};
const SERVERS = {
  s1: { type: 'server', object: { hostname: 'web-01', project_name: 'prod', os: 'Ubuntu 24.04' } },
  s2: { type: 'server', object: { hostname: 'db-01', project_name: 'finance', os: 'Ubuntu 24.04' } },
};
const CLIENTS = { c1: { type: 'client', object: { hostname: 'alice-laptop', user_name: 'alice', state: 'ACTIVE' } } };

function events(now: number): unknown[] {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const event = (minutesAgo: number, details: Record<string, unknown>) => ({ id: randomUUID(), timestamp: at(minutesAgo), details: { team_name: DEMO_ASA.team, ...details } });
  return [
    event(50, { type: 'auth_token.issue', actor: 'u1', client: 'c1', session_type: 'authenticated_client' }),
    event(49, { type: 'user_creds.issue', actor: 'u1', client: 'c1', target_server: 's1' }),
    event(48, { type: 'server.ssh_login', actor: 'u1', client: 'c1', target_server: 's1' }),
    // Erin's finance access was revoked in the campaign; ASA still shows her on the finance database
    event(20, { type: 'user_creds.issue', actor: 'u2', target_server: 's2' }),
    event(19, { type: 'server.ssh_login', actor: 'u2', target_server: 's2' }),
  ];
}

/** starts the fake on 127.0.0.1 and returns its base URL and a way to stop it */
export async function startDemoAsa(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const list = events(Date.now());
  const related = { ...USERS, ...SERVERS, ...CLIENTS };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (req.method === 'POST' && url.pathname === `/v1/teams/${DEMO_ASA.team}/service_token`) {
      return send(200, { bearer_token: randomUUID(), expires_at: new Date(Date.now() + 3_600_000).toISOString(), team_name: DEMO_ASA.team });
    }
    if (req.method === 'GET' && url.pathname === `/v1/teams/${DEMO_ASA.team}/auditsV2`) {
      // one page, no Link header: the last page
      return send(200, url.searchParams.has('offset') ? { list: [], related_objects: {} } : { list, related_objects: related });
    }
    send(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
