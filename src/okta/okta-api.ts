/**
 * The few Okta Management API reads the work queue's "Verify in Okta" button needs, over the shared
 * HttpClient (timeouts, retries on 429 honouring X-Rate-Limit-Reset, errors without the token). Answers are
 * read field by field: only what verify uses is kept. Okta API reference: Users (List all groups of a user),
 * Applications (Retrieve an application user, List all application groups), Groups (List all group rules).
 */
import { HttpError } from '../http-client/http-error.ts';
import type { HttpClient } from '../http-client/http-client.ts';
import { oktaGet, type OktaConnection } from './okta-auth.ts';

export interface OktaGroup {
  id: string;
  name: string;
  /** OKTA_GROUP, APP_GROUP (imported from a directory or app), BUILT_IN */
  type?: string;
}

export interface OktaAppUser {
  /** USER: assigned directly; GROUP: assigned through a group */
  scope?: string;
  status?: string;
}

export interface OktaGroupRule {
  id: string;
  name: string;
  status?: string;
  /** the groups the rule puts its users in */
  groupIds: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

function group(g: Obj): OktaGroup | undefined {
  const id = str(g.id);
  if (!id) return undefined;
  const profile = isObj(g.profile) ? g.profile : {};
  const type = str(g.type);
  return { id, name: str(profile.name) ?? id, ...(type ? { type } : {}) };
}

export class OktaApi {
  private readonly base: string;

  constructor(
    private readonly okta: OktaConnection,
    private readonly http: HttpClient,
  ) {
    this.base = okta.orgUrl.replace(/\/+$/, '');
  }

  private async get(label: string, path: string): Promise<unknown> {
    const res = await oktaGet(this.http, this.okta, label, `${this.base}${path}`);
    return res.body;
  }

  /** the groups the user is a member of (first page of 200: enough to find one group or intersect) */
  async userGroups(userId: string): Promise<OktaGroup[]> {
    const body = await this.get('Okta user groups', `/api/v1/users/${encodeURIComponent(userId)}/groups?limit=200`);
    return list(body).map(group).filter((g): g is OktaGroup => g !== undefined);
  }

  /** the user's assignment to the app, or undefined when Okta answers 404 (not assigned) */
  async appUser(appId: string, userId: string): Promise<OktaAppUser | undefined> {
    try {
      const body = await this.get('Okta app assignment', `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`);
      if (!isObj(body)) return {};
      const scope = str(body.scope);
      const status = str(body.status);
      return { ...(scope ? { scope } : {}), ...(status ? { status } : {}) };
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** the ids of the groups assigned to the app */
  async appGroupIds(appId: string): Promise<string[]> {
    const body = await this.get('Okta app groups', `/api/v1/apps/${encodeURIComponent(appId)}/groups?limit=200`);
    return list(body).map((g) => str(g.id)).filter((id): id is string => id !== undefined);
  }

  /** the group rules that put users into `groupId` */
  async rulesAssigning(groupId: string): Promise<OktaGroupRule[]> {
    const body = await this.get('Okta group rules', '/api/v1/groups/rules?limit=200');
    const rules: OktaGroupRule[] = [];
    for (const r of list(body)) {
      const actions = isObj(r.actions) ? r.actions : {};
      const assign = isObj(actions.assignUserToGroups) ? actions.assignUserToGroups : {};
      const groupIds = Array.isArray(assign.groupIds) ? assign.groupIds.filter((g): g is string => typeof g === 'string') : [];
      const id = str(r.id);
      if (id && groupIds.includes(groupId)) rules.push({ id, name: str(r.name) ?? id, groupIds, ...(str(r.status) ? { status: str(r.status) } : {}) });
    }
    return rules;
  }
}
