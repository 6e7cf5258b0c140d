import type { CampaignRef, EventRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { normalizeKey } from './index-keys.ts';

type ItemRecord = Extract<EventRecord, { kind: 'decision' | 'remediation' }>;

/**
 * Campaign totals: counted once, the first time a campaign is asked for, then kept up to date as records
 * are indexed. The digest stage asks for a campaign's totals on every burst update, and counting a
 * 10,000-item campaign each time made intake crawl; counting every campaign up front would add most of a
 * second to a 1M-event start-up for campaigns nobody asks about. Counts follow the latest decision and
 * the latest remediation of each item (by event time), so a changed decision moves one count, not two.
 */
export class CampaignTally {
  private readonly byId = new Map<string, CampaignTotals>();
  private readonly byName = new Map<string, CampaignTotals>();

  /** keeps the counted campaigns current; `itemRecords` is r's item list, r included */
  add(r: EventRecord, itemRecords: readonly EventRecord[]): void {
    // nothing counted yet (a start-up): nothing to keep current
    if ((r.kind !== 'decision' && r.kind !== 'remediation') || (this.byId.size === 0 && this.byName.size === 0)) return;
    const byId = r.campaign.id ? this.byId.get(r.campaign.id) : undefined;
    const byName = r.campaign.name ? this.byName.get(normalizeKey(r.campaign.name)) : undefined;
    if (!byId && !byName) return;
    let firstOfItem = true;
    let previous: ItemRecord | undefined;
    for (const other of itemRecords) {
      if (other === r || (other.kind !== 'decision' && other.kind !== 'remediation')) continue;
      firstOfItem = false;
      if (other.kind === r.kind && (!previous || other.at >= previous.at)) previous = other;
    }
    // an older event than the one already counted changes nothing
    if (previous && previous.at > r.at) return;
    if (byId) count(byId, r, previous, firstOfItem);
    if (byName) count(byName, r, previous, firstOfItem);
  }

  /** totals of a campaign by id, else by name (case-insensitive); `recordsOf` reads the campaign index */
  get(campaign: CampaignRef, recordsOf: (key: string) => readonly EventRecord[]): CampaignTotals {
    const found =
      (campaign.id && this.counted(this.byId, campaign.id, recordsOf)) ||
      (campaign.name && this.counted(this.byName, normalizeKey(campaign.name), recordsOf));
    return found ? structuredClone(found) : { decisions: {}, remediations: {}, items: 0 };
  }

  private counted(map: Map<string, CampaignTotals>, key: string, recordsOf: (key: string) => readonly EventRecord[]): CampaignTotals | undefined {
    const known = map.get(key);
    if (known) return known;
    const totals = countAll(recordsOf(key));
    if (totals.items === 0) return undefined;
    map.set(key, totals);
    return totals;
  }
}

/** the latest decision and remediation of each item, counted */
function countAll(records: readonly EventRecord[]): CampaignTotals {
  const decisions = new Map<string, ItemRecord>();
  const remediations = new Map<string, ItemRecord>();
  const items = new Set<string>();
  for (const r of records) {
    if (r.kind !== 'decision' && r.kind !== 'remediation') continue;
    const item = r.item ?? r.id;
    items.add(item);
    const latest = r.kind === 'decision' ? decisions : remediations;
    const prev = latest.get(item);
    if (!prev || prev.at <= r.at) latest.set(item, r);
  }
  const totals: CampaignTotals = { decisions: {}, remediations: {}, items: items.size };
  for (const r of decisions.values()) totals.decisions[valueOf(r)] = (totals.decisions[valueOf(r)] ?? 0) + 1;
  for (const r of remediations.values()) totals.remediations[valueOf(r)] = (totals.remediations[valueOf(r)] ?? 0) + 1;
  return totals;
}

function count(totals: CampaignTotals, r: ItemRecord, previous: ItemRecord | undefined, firstOfItem: boolean): void {
  if (firstOfItem) totals.items++;
  const counts = r.kind === 'decision' ? totals.decisions : totals.remediations;
  if (previous) {
    const was = valueOf(previous);
    counts[was] = (counts[was] ?? 1) - 1;
    if (counts[was] === 0) delete counts[was];
  }
  const now = valueOf(r);
  counts[now] = (counts[now] ?? 0) + 1;
}

function valueOf(r: ItemRecord): string {
  return (r.kind === 'decision' ? r.decision : r.outcome) ?? 'UNKNOWN';
}
