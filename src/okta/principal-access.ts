/**
 * Where an app's access comes from in Okta Identity Governance, when the org has it:
 * `GET /governance/api/v1/principal-access?filter=parent.externalId eq "<appId>" AND parent.type eq
 * "APPLICATION" AND targetPrincipal.externalId eq "<userId>" AND targetPrincipal.type eq "OKTA_USER"`
 * (Okta Identity Governance API, Principal Access; scope `okta.governance.entitlements.read`, role
 * Application Administrator; beta). The answer is "the principal access with its base grant (POLICY or
 * CUSTOM) and any additional grants"; its exact shape is not a contract we rely on, so every object in it
 * that carries a `grantType` is read (with `grantMethod` and `id` when present).
 *
 * Optional by design: an org without OIG entitlement management, or a credential without the scope, answers
 * 400/401/403/404. That is "not available", never an error of the check: Verify's answer does not depend on it.
 */
import { HttpError } from '../http-client/http-error.ts';
import type { OktaReader } from './okta-reader.ts';

export interface GrantSource {
  /** POLICY, CUSTOM, ENTITLEMENT-BUNDLE, ENTITLEMENT … */
  grantType: string;
  grantMethod?: string;
  id?: string;
}

export type PrincipalAccess = { available: true; grants: GrantSource[] } | { available: false; why: string; status?: number };

const NOT_AVAILABLE = new Set([400, 401, 403, 404]);

export async function principalAccess(reader: OktaReader, appId: string, userId: string): Promise<PrincipalAccess> {
  const filter = `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`;
  try {
    const res = await reader.get('Okta governance principal access', `/governance/api/v1/principal-access?filter=${encodeURIComponent(filter)}`);
    return { available: true, grants: grantsIn(res.body) };
  } catch (err) {
    if (err instanceof HttpError && err.statusCode !== undefined && NOT_AVAILABLE.has(err.statusCode)) {
      return { available: false, status: err.statusCode, why: `Okta answered ${err.statusCode} (no Identity Governance entitlements for this app, or the credential lacks okta.governance.entitlements.read)` };
    }
    return { available: false, why: err instanceof Error ? err.message : String(err) };
  }
}

/** every object carrying a `grantType`, depth-limited, without repeats */
export function grantsIn(body: unknown): GrantSource[] {
  const out: GrantSource[] = [];
  const seen = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v.slice(0, 200)) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.grantType === 'string') {
      const g: GrantSource = {
        grantType: o.grantType,
        ...(typeof o.grantMethod === 'string' ? { grantMethod: o.grantMethod } : {}),
        ...(typeof o.id === 'string' ? { id: o.id } : {}),
      };
      const key = `${g.grantType}|${g.grantMethod ?? ''}|${g.id ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(g);
      }
    }
    for (const [k, x] of Object.entries(o)) if (k !== '_links') walk(x, depth + 1);
  };
  walk(body, 0);
  return out;
}
