import type { CampaignRef, EventRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';
import { normalizeKey } from './index-keys.ts';

type ItemRecord = Extract<EventRecord, { kind: 'decision' | 'remediation' }>;

/**
 * Campaign totals kept up to date as records are indexed, instead of counted on demand: the digest stage
 * asks for a campaign's totals on every burst update, and counting a 10,000-item campaign each time made
 * intake crawl. Counts follow the latest decision and the latest remediation of each item (by event
 * time), found through the item index, so a changed decision moves one count, not two.
 */
export class CampaignTally {
  private readonly byId = new Map<string, CampaignTotals>();
  private readonly byName = new Map<string, CampaignTotals>();

  /**
   * Counts `r`, which was just added to the item index; `itemRecords` is that item's list, `r` included.
   */
  add(r: EventRecord, itemRecords: readonly EventRecord[]): void {
    if (r.kind !== 'decision' && r.kind !== 'remediation') return;
    let firstOfItem = true;
    let previous: ItemRecord | undefined;
    for (const other of itemRecords) {
      if (other === r || (other.kind !== 'decision' && other.kind !== 'remediation')) continue;
      firstOfItem = false;
      if (other.kind === r.kind && (!previous || other.at >= previous.at)) previous = other;
    }
    // an older event than the one already counted changes nothing
    if (previous && previous.at > r.at) return;
    for (const totals of this.totalsOf(r.campaign)) {
      if (firstOfItem) totals.items++;
      const counts = r.kind === 'decision' ? totals.decisions : totals.remediations;
      if (previous) counts[valueOf(previous)] = (counts[valueOf(previous)] ?? 1) - 1;
      counts[valueOf(r)] = (counts[valueOf(r)] ?? 0) + 1;
      if (previous && counts[valueOf(previous)] === 0) delete counts[valueOf(previous)];
    }
  }

  /** totals of a campaign by id, else by name (case-insensitive) */
  get(campaign: CampaignRef): CampaignTotals {
    const found = (campaign.id && this.byId.get(campaign.id)) || (campaign.name && this.byName.get(normalizeKey(campaign.name)));
    return found ? structuredClone(found) : { decisions: {}, remediations: {}, items: 0 };
  }

  private *totalsOf(campaign: CampaignRef): Generator<CampaignTotals> {
    if (campaign.id) yield entry(this.byId, campaign.id);
    if (campaign.name) yield entry(this.byName, normalizeKey(campaign.name));
  }
}

function valueOf(r: ItemRecord): string {
  return (r.kind === 'decision' ? r.decision : r.outcome) ?? 'UNKNOWN';
}

function entry(map: Map<string, CampaignTotals>, key: string): CampaignTotals {
  let totals = map.get(key);
  if (!totals) map.set(key, (totals = { decisions: {}, remediations: {}, items: 0 }));
  return totals;
}
