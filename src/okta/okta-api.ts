/**
 * The Okta Management API reads of "Verify in Okta" and of the background checks (src/followup), through
 * OktaReader (okta-reader.ts: every page, rate-limit headers, at most two calls in flight). Answers are
 * read field by field: only what the checks use is kept. Okta API reference: Users (List all groups of a
 * user), Applications (Retrieve an application, Retrieve an application user, List all application
 * groups), Groups (List all group rules). Scopes with OAuth: okta.users.read, okta.groups.read,
 * okta.apps.read.
 *
 * The org's group rules are one list for every check (an org has at most 2000 rules, 10 pages): they are
 * read once and kept for a few minutes, so a campaign with 500 skipped items does not read them 500 times.
 * An app's groups are kept for a minute for the same reason (a campaign skips many users of one app). A
 * read that failed is not kept. A credential refused by the governance API (401/403: no scope, no OIG) is
 * not asked again for an hour.
 */
import { inertLine } from '../cards/untrusted-text.ts';
import { HttpError } from '../http-client/http-error.ts';
import type { AppRef } from './admin-links.ts';
import { OKTA_LIST_LIMIT, type OktaReader } from './okta-reader.ts';
import { principalAccess, type PrincipalAccess } from './principal-access.ts';

export interface OktaGroup {
  id: string;
  name: string;
  /** OKTA_GROUP, APP_GROUP (imported from a directory or app), BUILT_IN (Everyone) */
  type?: string;
  /** for an APP_GROUP: the app (directory) it is imported from */
  sourceAppId?: string;
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
  /** `conditions.expression.value`, Okta Expression Language */
  expression?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const objs = (v: unknown[]): Obj[] => v.filter(isObj);
/**
 * A name, label or expression as it will be shown (cards, Verify's answer): one line, no control or bidi
 * characters. Cleaned where it enters, because these texts are joined into notes, which keep line breaks.
 */
const shown = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined ? undefined : inertLine(s) || undefined;
};

function group(g: Obj): OktaGroup | undefined {
  const id = str(g.id);
  if (!id) return undefined;
  const profile = isObj(g.profile) ? g.profile : {};
  const type = str(g.type);
  // the Groups API names an app group's source as `source.id`; older answers only link it
  const links = isObj(g._links) ? g._links : {};
  const sourceLink = isObj(links.source) ? str(links.source.href) : undefined;
  const sourceAppId = (isObj(g.source) ? str(g.source.id) : undefined) ?? sourceLink?.split('/').filter(Boolean).pop();
  return { id, name: shown(profile.name) ?? id, ...(type ? { type } : {}), ...(sourceAppId ? { sourceAppId } : {}) };
}

function rule(r: Obj): OktaGroupRule | undefined {
  const id = str(r.id);
  if (!id) return undefined;
  const actions = isObj(r.actions) ? r.actions : {};
  const assign = isObj(actions.assignUserToGroups) ? actions.assignUserToGroups : {};
  const groupIds = Array.isArray(assign.groupIds) ? assign.groupIds.filter((g): g is string => typeof g === 'string') : [];
  const conditions = isObj(r.conditions) ? r.conditions : {};
  const expression = isObj(conditions.expression) ? shown(conditions.expression.value) : undefined;
  const status = str(r.status);
  return { id, name: shown(r.name) ?? id, groupIds, ...(status ? { status } : {}), ...(expression ? { expression } : {}) };
}

const enc = encodeURIComponent;

export interface OktaApiOptions {
  /** how long the org's group rules are reused (default 5 min) */
  rulesTtlMs?: number;
  /** how long an app's groups are reused (default 1 min) */
  appGroupsTtlMs?: number;
  now?: () => number;
}

/** a list read once and reused for a while by every check that needs it */
interface Cached<T> {
  at: number;
  value: Promise<T>;
}

const GOVERNANCE_OFF_MS = 3_600_000;
const MAX_CACHED_APPS = 1000;

export class OktaApi {
  private rules: Cached<OktaGroupRule[]> | undefined;
  private readonly appGroups = new Map<string, Cached<string[]>>();
  private readonly apps = new Map<string, AppRef>();
  private governanceOff: { until: number; why: string } | undefined;
  private readonly rulesTtlMs: number;
  private readonly appGroupsTtlMs: number;
  private readonly now: () => number;

  constructor(
    readonly reader: OktaReader,
    o: OktaApiOptions = {},
  ) {
    this.rulesTtlMs = o.rulesTtlMs ?? 5 * 60_000;
    this.appGroupsTtlMs = o.appGroupsTtlMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  /** `read` once per `ttlMs`; a failed read is dropped so the next caller asks again */
  private cached<T>(slot: () => Cached<T> | undefined, keep: (c: Cached<T> | undefined) => void, ttlMs: number, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = slot();
    if (hit && now - hit.at < ttlMs) return hit.value;
    const entry: Cached<T> = { at: now, value: read() };
    keep(entry);
    entry.value.catch(() => {
      if (slot() === entry) keep(undefined);
    });
    return entry.value;
  }

  get orgUrl(): string {
    return this.reader.okta.orgUrl;
  }

  /**
   * every group the user is a member of, or undefined when Okta no longer has the user: it answers 404 for
   * the groups of a deleted user, and only a 404 for the user itself confirms that (any other 404 throws)
   */
  async userGroups(userId: string): Promise<OktaGroup[] | undefined> {
    let list: unknown[];
    try {
      list = await this.reader.list('Okta user groups', `/api/v1/users/${enc(userId)}/groups?limit=${OKTA_LIST_LIMIT}`);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404 && !(await this.userExists(userId))) return undefined;
      throw err;
    }
    return objs(list).map(group).filter((g): g is OktaGroup => g !== undefined);
  }

  /**
   * Whether Okta still has the user: false only when it answers 404 for `GET /api/v1/users/{id}` (deleted;
   * a deactivated user still exists, with its groups). Any other failure throws: it could not tell.
   */
  async userExists(userId: string): Promise<boolean> {
    try {
      await this.reader.get('Okta user', `/api/v1/users/${enc(userId)}`);
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /** the user's assignment to the app, or undefined when Okta answers 404 (not assigned) */
  async appUser(appId: string, userId: string): Promise<OktaAppUser | undefined> {
    try {
      const { body } = await this.reader.get('Okta app assignment', `/api/v1/apps/${enc(appId)}/users/${enc(userId)}`);
      if (!isObj(body)) return {};
      const scope = str(body.scope);
      const status = str(body.status);
      return { ...(scope ? { scope } : {}), ...(status ? { status } : {}) };
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** the ids of every group assigned to the app (reused for `appGroupsTtlMs`) */
  appGroupIds(appId: string): Promise<string[]> {
    if (this.appGroups.size > MAX_CACHED_APPS) this.appGroups.clear();
    return this.cached(
      () => this.appGroups.get(appId),
      (c) => {
        if (c) this.appGroups.set(appId, c);
        else this.appGroups.delete(appId);
      },
      this.appGroupsTtlMs,
      async () => {
        const list = await this.reader.list('Okta app groups', `/api/v1/apps/${enc(appId)}/groups?limit=${OKTA_LIST_LIMIT}`);
        return objs(list).map((g) => str(g.id)).filter((id): id is string => id !== undefined);
      },
    );
  }

  /** the app's name and label, for links and text; undefined when it cannot be read (only cosmetic) */
  async app(appId: string): Promise<AppRef | undefined> {
    const known = this.apps.get(appId);
    if (known) return known;
    try {
      const { body } = await this.reader.get('Okta app', `/api/v1/apps/${enc(appId)}`);
      if (!isObj(body)) return undefined;
      const name = shown(body.name);
      const label = shown(body.label);
      const ref: AppRef = { id: appId, ...(name ? { name } : {}), ...(label ? { label } : {}) };
      if (this.apps.size > MAX_CACHED_APPS) this.apps.clear();
      this.apps.set(appId, ref);
      return ref;
    } catch {
      return undefined;
    }
  }

  /** every group rule of the org (all pages), reused for `rulesTtlMs` */
  groupRules(): Promise<OktaGroupRule[]> {
    return this.cached(
      () => this.rules,
      (c) => {
        this.rules = c;
      },
      this.rulesTtlMs,
      async () => objs(await this.reader.list('Okta group rules', `/api/v1/groups/rules?limit=${OKTA_LIST_LIMIT}`)).map(rule).filter((r): r is OktaGroupRule => r !== undefined),
    );
  }

  /** the ACTIVE group rules that put users into `groupId` */
  async activeRulesAssigning(groupId: string): Promise<OktaGroupRule[]> {
    return (await this.groupRules()).filter((r) => (r.status === undefined || r.status === 'ACTIVE') && r.groupIds.includes(groupId));
  }

  /** OIG grants of the app for the user (optional: "not available" without the governance scope) */
  async principalAccess(appId: string, userId: string): Promise<PrincipalAccess> {
    const off = this.governanceOff;
    if (off && this.now() < off.until) return { available: false, why: off.why };
    const answer = await principalAccess(this.reader, appId, userId);
    if (!answer.available && (answer.status === 401 || answer.status === 403)) this.governanceOff = { until: this.now() + GOVERNANCE_OFF_MS, why: answer.why };
    return answer;
  }
}
