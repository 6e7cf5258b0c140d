/** `/oig resource <name>`: who was reviewed for it and what happened (latest decision and remediation per item). */
import type { EventRecord } from '../domain/records.ts';
import { emptyAnswer, type Answer } from './answer.ts';
import type { CommandDeps } from './deps.ts';
import { newestFirst, when, who } from './describe.ts';
import { didYouMean, matchKey } from './matcher.ts';
import type { OigQuery } from './query.ts';

interface Outcome {
  at: string;
  principal: string;
  login: string;
  campaign: string;
  decision: string;
  remediation: string;
  reviewer: string;
  /** Okta uuids of the decision (or review action) and the remediation shown */
  decisionEvent: string;
  remediationEvent: string;
}

export function resource(q: Extract<OigQuery, { kind: 'resource' }>, deps: CommandDeps): Answer {
  const m = matchKey(deps.store, 'resource', q.name);
  const title = `Reviews of “${q.name}”`;
  if (m.kind === 'none') return emptyAnswer(title, [], `No resource matches “${q.name}”.`);
  if (m.kind === 'ambiguous') return emptyAnswer(title, [], didYouMean('resource', q.name, m));
  // one outcome per campaign item (or review + person); records come oldest first, so later ones win
  const byItem = new Map<string, Outcome>();
  const decisions: Record<string, number> = {};
  for (const r of deps.store.lookup('resource', m.key)) {
    const key = keyOf(r);
    if (!key || (r.kind !== 'decision' && r.kind !== 'remediation' && r.kind !== 'access_review')) continue;
    const o = byItem.get(key) ?? { at: r.at, principal: who(r.principal), login: r.principal?.login ?? '', campaign: '', decision: '', remediation: '', reviewer: '', decisionEvent: '', remediationEvent: '' };
    if (r.at >= o.at) o.at = r.at;
    if (r.kind === 'access_review') {
      o.campaign = r.review.name ?? r.review.id ?? '';
      if (r.decision) {
        o.decision = r.decision;
        o.decisionEvent = r.id;
      }
    } else {
      o.campaign = r.campaign.name ?? r.campaign.id ?? '';
      if (r.reviewer) o.reviewer = who(r.reviewer);
      if (r.kind === 'decision' && r.decision) {
        o.decision = r.decision;
        o.decisionEvent = r.id;
      }
      if (r.kind === 'remediation') {
        o.remediation = [r.outcome, r.status].filter(Boolean).join(' / ');
        o.remediationEvent = r.id;
      }
    }
    byItem.set(key, o);
  }
  for (const o of byItem.values()) if (o.decision) decisions[o.decision] = (decisions[o.decision] ?? 0) + 1;
  const rows = newestFirst([...byItem.values()]).map((o) => ({
    line: `${when(o.at)} · ${o.principal} · ${o.decision || 'no decision'}${o.remediation ? ` → ${o.remediation}` : ''} · ${o.campaign}`,
    cells: [o.at, o.principal, o.login, o.campaign, o.decision, o.remediation, o.reviewer, o.decisionEvent, o.remediationEvent],
  }));
  const totals = Object.entries(decisions).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  return {
    title: `Reviews of ${m.key}`,
    matched: rows.length,
    summary: totals ? [`Decisions: ${totals}`] : [],
    columns: ['at', 'principal', 'login', 'campaign', 'decision', 'remediation', 'reviewer', 'decision event id', 'remediation event id'],
    rows,
  };
}

function keyOf(r: EventRecord): string | undefined {
  if (r.kind === 'decision' || r.kind === 'remediation') return r.item ?? r.id;
  if (r.kind === 'access_review') return `${r.review.id ?? r.review.name ?? ''}|${r.principal?.id ?? r.principal?.login ?? r.id}`;
  return undefined;
}
