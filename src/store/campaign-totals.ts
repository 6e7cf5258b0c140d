import type { DecisionRecord, EventRecord, RemediationRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';

/** Totals for one campaign from its records: the latest decision and remediation per item count. */
export function campaignTotals(records: readonly EventRecord[]): CampaignTotals {
  const decisions = new Map<string, DecisionRecord>();
  const remediations = new Map<string, RemediationRecord>();
  const items = new Set<string>();
  for (const r of records) {
    if (r.kind !== 'decision' && r.kind !== 'remediation') continue;
    const item = r.item ?? r.id;
    items.add(item);
    const map: Map<string, EventRecord> = r.kind === 'decision' ? decisions : remediations;
    const prev = map.get(item);
    if (!prev || prev.at <= r.at) map.set(item, r);
  }
  return {
    decisions: countBy([...decisions.values()].map((d) => d.decision ?? 'UNKNOWN')),
    remediations: countBy([...remediations.values()].map((r) => r.outcome ?? 'UNKNOWN')),
    items: items.size,
  };
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
