/**
 * "Revoked but still used" (issue 12 §4): an in-memory index of REVOKE decisions by the ASA/OPA names their
 * person goes by (still-used-match.ts), fed every routed record in log order. An ASA/OPA use (login,
 * credentials, secret, checkout) by a watched person after the revoke is a flag; the flag becomes a reply
 * card in the item's thread (edited in place as uses repeat), a line in `/oig user` and a count in
 * `/oig stats`.
 *
 * Exact across restarts: the state is a fold over the event log in log order (RouteStage). At start it is
 * rebuilt from the stored decisions and ASA/OPA records up to the routing cursor; what is after the cursor
 * is routed through it again and makes the same cards (the outboxes drop those they have). Out-of-order
 * arrival is covered both ways: a use stored before its revoke (a late hook, a backfill) is found when
 * the revoke is routed; a use stored after it is matched when the use is routed. Either way the flag
 * depends only on the records and their order in the log, never on timing.
 *
 * History (records marked `late`) is flagged like anything else; the catch-up stage drops the cards of
 * late records, so old data is answerable in /oig but not posted one by one.
 *
 * Cost: the index holds the watched revokes and a few examples of use per revoke (counts, not lists);
 * the rebuild reads the decision and ASA/OPA use types from the store's type index, not every record.
 * Measured at 1M records (500k decisions): under 1 s when no revoke is of a group; 3-5 s with 71k group
 * revokes and 500k logins (each revoke looks up its person's stored uses). A snapshot would cut that.
 * Retention is not followed: a revoke dropped from the store stays watched until the next start.
 */
import type { Card } from '../cards/card.ts';
import { decisionKey, manualKey } from '../cards/keys.ts';
import { buildStillUsedCard } from '../cards/still-used-card.ts';
import { needsManualRemediation, type AsaRecord, type DecisionRecord, type EventRecord } from '../domain/records.ts';
import { DECIDE } from '../okta/event-types.ts';
import type { RouteStage } from '../route/route-stage.ts';
import type { EventStore } from '../store/event-store.ts';
import { normalizeKey } from '../store/index-keys.ts';
import {
  HOW_RANK, PROJECT_LINK_TYPES, activityKeys, baseType, canGrantServerAccess, claimsOf, groupsNamed, isCorrelatedType,
  nameOf, projectOf, strongEvidence, useKind, type MatchHow,
} from './still-used-match.ts';
import { withKnownLogin } from './known-login.ts';
import { inLogOrder, logOrder, pos } from './log-order.ts';
import { MAX_SERVERS, RECENT_USES, type RevokeWatch, type StillUsedReader, type StillUsedTotals, type StillUsedUse } from './still-used-watch.ts';

type Store = Pick<EventStore, 'keys' | 'lookup'>;

/** the watch each routed record changed, and the record whose cards its reply goes with */
type Touched = Map<RevokeWatch, EventRecord>;

/**
 * One decision replaces another for the same person and resource (a reviewer changing their mind, a later
 * campaign): the newest decides whether the person is watched. Looked up by the person's id (or login) as
 * the record has it, so that the million decisions that are not watched cost no new string each.
 */
const personOf = (d: DecisionRecord): string | undefined => d.principal.id ?? d.principal.login;

function sameGrant(a: DecisionRecord, b: DecisionRecord): boolean {
  if (personOf(a) === undefined) return a.item !== undefined ? a.item === b.item : a.id === b.id;
  const ra = a.resource.id ?? a.resource.name;
  const rb = b.resource.id ?? b.resource.name;
  return personOf(a) === personOf(b) && ra !== undefined && rb !== undefined && ra.toLowerCase() === rb.toLowerCase();
}

/** strong before name-only, then the more exact identity, then the newer */
function better(a: StillUsedUse, b: StillUsedUse): boolean {
  if ((a.evidence !== undefined) !== (b.evidence !== undefined)) return a.evidence !== undefined;
  if (HOW_RANK[a.how] !== HOW_RANK[b.how]) return HOW_RANK[a.how] < HOW_RANK[b.how];
  return a.record.at >= b.record.at;
}

/** the keys /oig user may find a watch under: Okta id, login, display name, claimed ASA/OPA names (lower-cased) */
function personKeys(w: RevokeWatch): Set<string> {
  const p = w.person;
  const keys = [p.id, p.login, p.name, ...w.claims.map((c) => nameOf(c.key))];
  return new Set(keys.filter((k): k is string => k !== undefined).map(normalizeKey));
}

/** whether an ASA user name can match the watched person at all (a login, or an ASA_USER_MAP entry) */
const hasAsaName = (w: RevokeWatch): boolean => w.claims.some((c) => c.key.startsWith('asa:'));

const personLabel = (d: DecisionRecord): string => d.principal.login ?? d.principal.name ?? d.principal.id ?? 'someone';

export class StillUsedIndex implements RouteStage, StillUsedReader {
  readonly name = 'still-used';
  /** the log position folded through */
  private through = 0;
  /** the watched revokes per person (`personOf`); a newer decision for the same person and resource retires one */
  private readonly grants = new Map<string, RevokeWatch[]>();
  /** active watches by the names they claim (`asa:alice`, `opa:alice@x.com`, `okta:00u…`) */
  private readonly byClaim = new Map<string, Array<{ watch: RevokeWatch; how: MatchHow }>>();
  /** watches by every key /oig user may be asked with (Okta id, login, display name, ASA name), lower-cased */
  private readonly byPerson = new Map<string, Set<RevokeWatch>>();
  /** project → groups reaching it (lower-cased), from project.add_group / remove_group in log order */
  private readonly projectGroups = new Map<string, Set<string>>();
  private readonly counts: StillUsedTotals = { watched: 0, noAsaName: 0, revokesUsed: 0, uses: 0, strong: 0, history: 0 };
  /** the cards of the last batch, by record id: a batch routed again in this process gets them again */
  private lastBatch = new Map<string, readonly Card[]>();

  constructor(
    private readonly store: Store,
    /** ASA_USER_MAP: lower-cased Okta login or id → ASA/OPA user name */
    private readonly userMap: Readonly<Record<string, string>> = {},
  ) {}

  start(routedThrough: number): void {
    const lists: Array<readonly EventRecord[]> = [];
    for (const type of this.store.keys('type')) if (type === DECIDE || isCorrelatedType(type)) lists.push(this.store.lookup('type', type));
    for (const r of inLogOrder(lists)) if (pos(r) <= routedThrough) this.apply(r);
    this.through = Math.max(this.through, routedThrough);
  }

  cardsFor(batch: readonly EventRecord[]): ReadonlyMap<EventRecord, readonly Card[]> {
    const out = new Map<EventRecord, readonly Card[]>();
    const touched: Touched = new Map();
    let fresh = false;
    for (const r of batch) {
      if (r.seq !== undefined && r.seq <= this.through) {
        const again = this.lastBatch.get(r.id);
        if (again) out.set(r, again);
        continue;
      }
      fresh = true;
      this.apply(r, touched);
      if (r.seq !== undefined) this.through = r.seq;
    }
    if (!fresh) return out;
    for (const [watch, trigger] of touched) {
      const card = buildStillUsedCard(watch, { threadKey: this.threadOf(watch.decision) });
      if (card) out.set(trigger, [...(out.get(trigger) ?? []), card]);
    }
    this.lastBatch = new Map([...out].map(([r, cards]) => [r.id, cards]));
    return out;
  }

  forPerson(key: string): readonly RevokeWatch[] {
    const set = this.byPerson.get(normalizeKey(key));
    if (!set) return [];
    return [...set].filter((w) => w.uses > 0).sort((a, b) => (a.last!.record.at < b.last!.record.at ? 1 : -1));
  }

  totals(): StillUsedTotals {
    return { ...this.counts };
  }

  private apply(r: EventRecord, touched?: Touched): void {
    if (r.kind === 'decision') this.onDecision(r, touched);
    else if (r.kind === 'asa') {
      const link = PROJECT_LINK_TYPES[baseType(r.type)];
      if (link) this.onProjectLink(r, link);
      else this.onUse(r, touched);
    }
  }

  private onDecision(d: DecisionRecord, touched?: Touched): void {
    const revoke = d.decision === 'REVOKE' || d.decision?.toUpperCase() === 'REVOKE';
    const who = personOf(d) ?? `item:${d.item ?? d.id}`;
    const watches = this.grants.get(who);
    // most decisions approve someone who is not watched: nothing to do, nothing allocated
    if (!revoke && watches === undefined) return;
    const current = watches?.find((w) => sameGrant(w.decision, d));
    // an older decision delivered late changes nothing
    if (current && current.decision.at > d.at) return;
    const watched = revoke && canGrantServerAccess(d.resource) && !this.replacedEarlier(d);
    if (current) {
      this.retire(current);
      const rest = watches!.filter((w) => w !== current);
      if (rest.length > 0) this.grants.set(who, rest);
      else this.grants.delete(who);
    }
    if (!watched) return;
    const watch = this.watch(d);
    const list = this.grants.get(who);
    if (list) list.push(watch);
    else this.grants.set(who, [watch]);
    // uses stored before this revoke reached the log (earlier log position) but done after it
    for (const { record, how } of this.storedUsesAfter(watch)) this.addUse(watch, record, how, [], d, touched);
  }

  /**
   * A newer decision for the same person and resource already in the log (the revoke was delivered late).
   * Asked of the store, only for revokes, so that the index keeps no entry per decision (a million of them).
   */
  private replacedEarlier(d: DecisionRecord): boolean {
    const who = personOf(d);
    if (who === undefined) return false;
    return this.store.lookup('principal', who).some((r) => r.kind === 'decision' && r !== d && pos(r) < pos(d) && r.at > d.at && sameGrant(r, d));
  }

  private onUse(u: AsaRecord, touched?: Touched): void {
    if (useKind(u) === undefined) return;
    const found = new Map<RevokeWatch, MatchHow>();
    for (const key of activityKeys(u)) {
      for (const { watch, how } of this.byClaim.get(key) ?? []) {
        if (!(u.at > watch.decision.at)) continue;
        const had = found.get(watch);
        if (had === undefined || HOW_RANK[how] < HOW_RANK[had]) found.set(watch, how);
      }
    }
    if (found.size === 0) return;
    const people = [...new Set([...found.keys()].map((w) => personLabel(w.decision)))];
    for (const [watch, how] of found) this.addUse(watch, u, how, people.filter((p) => p !== personLabel(watch.decision)), u, touched);
  }

  private onProjectLink(r: AsaRecord, link: 'add' | 'remove'): void {
    const project = projectOf(r)?.toLowerCase();
    if (project === undefined) return;
    let groups = this.projectGroups.get(project);
    for (const g of groupsNamed(r)) {
      if (link === 'add') (groups ??= this.projectGroups.set(project, new Set()).get(project)!).add(g.toLowerCase());
      else groups?.delete(g.toLowerCase());
    }
  }

  private watch(d: DecisionRecord): RevokeWatch {
    const person = withKnownLogin(d.principal, pos(d), this.store);
    const claims = claimsOf(person, this.userMap);
    const watch: RevokeWatch = { decision: d, person, claims, active: true, uses: 0, strong: 0, recent: [], servers: [], sharedWith: [] };
    for (const c of claims) {
      const list = this.byClaim.get(c.key);
      if (list) list.push({ watch, how: c.how });
      else this.byClaim.set(c.key, [{ watch, how: c.how }]);
    }
    for (const k of personKeys(watch)) {
      const set = this.byPerson.get(k);
      if (set) set.add(watch);
      else this.byPerson.set(k, new Set([watch]));
    }
    this.counts.watched++;
    if (!hasAsaName(watch)) this.counts.noAsaName++;
    return watch;
  }

  /** a newer decision replaced this revoke: no new uses; its flags stay answerable */
  private retire(watch: RevokeWatch): void {
    watch.active = false;
    this.counts.watched--;
    if (!hasAsaName(watch)) this.counts.noAsaName--;
    for (const c of watch.claims) {
      const list = this.byClaim.get(c.key)?.filter((e) => e.watch !== watch);
      if (list && list.length > 0) this.byClaim.set(c.key, list);
      else this.byClaim.delete(c.key);
    }
    if (watch.uses > 0) return;
    for (const k of personKeys(watch)) {
      const set = this.byPerson.get(k);
      if (set?.delete(watch) && set.size === 0) this.byPerson.delete(k);
    }
  }

  /** uses by the watched person done after the revoke but earlier in the log (found through the principal index) */
  private storedUsesAfter(watch: RevokeWatch): Array<{ record: AsaRecord; how: MatchHow }> {
    const d = watch.decision;
    const out = new Map<string, { record: AsaRecord; how: MatchHow }>();
    for (const name of new Set(watch.claims.map((c) => nameOf(c.key)))) {
      for (const r of this.store.lookup('principal', name)) {
        if (r.kind !== 'asa' || out.has(r.id) || !(pos(r) < pos(d)) || !(r.at > d.at) || useKind(r) === undefined) continue;
        const keys = new Set(activityKeys(r));
        let how: MatchHow | undefined;
        for (const c of watch.claims) if (keys.has(c.key) && (how === undefined || HOW_RANK[c.how] < HOW_RANK[how])) how = c.how;
        if (how !== undefined) out.set(r.id, { record: r, how });
      }
    }
    return [...out.values()].sort((a, b) => logOrder(a.record, b.record));
  }

  private addUse(watch: RevokeWatch, u: AsaRecord, how: MatchHow, others: string[], trigger: EventRecord, touched?: Touched): void {
    const evidence = strongEvidence(watch.decision.resource, u, (p) => this.projectGroups.get(p));
    const use: StillUsedUse = { record: u, kind: useKind(u)!, how, ...(evidence !== undefined ? { evidence } : {}) };
    if (watch.uses === 0) this.counts.revokesUsed++;
    watch.uses++;
    this.counts.uses++;
    if (evidence !== undefined) {
      watch.strong++;
      this.counts.strong++;
    }
    if (u.late) this.counts.history++;
    if (this.counts.lastUseAt === undefined || u.at > this.counts.lastUseAt) this.counts.lastUseAt = u.at;
    if (!watch.first || u.at < watch.first.record.at) watch.first = use;
    if (!watch.last || u.at >= watch.last.record.at) watch.last = use;
    if (!watch.best || better(use, watch.best)) watch.best = use;
    watch.recent.push(use);
    if (watch.recent.length > RECENT_USES) watch.recent.shift();
    const where = u.server ?? projectOf(u);
    if (where !== undefined && watch.servers.length < MAX_SERVERS && !watch.servers.includes(where)) watch.servers.push(where);
    for (const p of others) if (!watch.sharedWith.includes(p)) watch.sharedWith.push(p);
    if (touched) {
      // the reply goes with a record that is posted (not history) when the batch has one
      const before = touched.get(watch);
      if (before === undefined || !trigger.late || before.late) touched.set(watch, trigger);
    }
  }

  /** the item's task card when its remediation needs a person (that is where the work happens), else its decision card */
  private threadOf(d: DecisionRecord): string {
    if (d.item !== undefined) {
      for (const r of this.store.lookup('item', d.item)) if (r.kind === 'remediation' && needsManualRemediation(r)) return manualKey(d);
    }
    return decisionKey(d);
  }
}
