/**
 * What GET /readyz asks (SPEC §9): is this process ready to take its share of the traffic? Each part of the
 * bot that can hold readiness back adds a check (the event store in app.ts, each configured chat in
 * compose.ts); ready means every check is ok. Separate from /healthz, which only says the process is alive
 * and its store can write: a load balancer or Kubernetes sends traffic on /readyz and restarts on /healthz.
 */
export interface ReadyState {
  ok: boolean;
  /** what is not ready, for the operator: "store loading 42%", "Slack token not accepted yet: invalid_auth" */
  why?: string;
}

export type ReadyCheck = () => ReadyState;

export class Readiness {
  private readonly checks: ReadyCheck[] = [];

  add(check: ReadyCheck): void {
    this.checks.push(check);
  }

  /** every check asked each time (a check may start a re-test of what it waits for, e.g. Slack's auth.test) */
  state(): { ready: boolean; waitingFor: string[] } {
    const waitingFor: string[] = [];
    for (const check of this.checks) {
      let s: ReadyState;
      try {
        s = check();
      } catch (err) {
        s = { ok: false, why: `a readiness check failed: ${(err as Error).message}` };
      }
      if (!s.ok) waitingFor.push(s.why ?? 'not ready');
    }
    return { ready: waitingFor.length === 0, waitingFor };
  }
}
