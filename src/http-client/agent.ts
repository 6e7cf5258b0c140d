import { Agent } from 'undici';

/**
 * The one undici Agent both pollers share (connection reuse per origin). undici's own header and body
 * timeouts are 300 s: a server that accepts the connection and then stalls would hold a poll run for five
 * minutes per attempt. Okta answers a System Log query within its own 30 s limit (or a 500 "took too
 * long", see the System Log API reference), so 40 s without headers means something is wrong.
 */
export interface AgentTimeouts {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export function createHttpAgent(t: AgentTimeouts = {}): Agent {
  return new Agent({
    connect: { timeout: t.connectTimeoutMs ?? 10_000 },
    headersTimeout: t.headersTimeoutMs ?? 40_000,
    bodyTimeout: t.bodyTimeoutMs ?? 30_000,
    keepAliveTimeout: 10_000,
    // pollers run one call at a time per API: a few sockets per origin are plenty
    connections: 4,
  });
}
