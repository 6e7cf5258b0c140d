/**
 * What one digest collected (see digest.ts): counts of every certification item event of the burst and the
 * items worth naming (REVOKE decisions, remediations that need manual work). Remembers which messages
 * changed since they were last emitted, so a digest update sends only the parts that moved.
 * Memory is bounded: at most MAX_LISTED items are kept, the rest only counted.
 */
import { MAX_LISTED, PART_SIZE, type DigestItem, type DigestView } from '../cards/digest-card.ts';
import { itemOf } from '../cards/keys.ts';
import { summarizeRemediation } from '../cards/remediation-status.ts';
import type { CampaignRef, DecisionRecord, RemediationRecord } from '../domain/records.ts';
import type { CampaignTotals } from '../route/route-context.ts';

export type ItemRecord = DecisionRecord | RemediationRecord;

export interface DigestChanges {
  /** detail parts whose items changed */
  parts: number[];
  /** a manual item was added or changed */
  manual: boolean;
}

interface Listed extends DigestItem {
  index: number;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class DigestCollector {
  private events = 0;
  private readonly decisions: Record<string, number> = {};
  private readonly remediations: Record<string, number> = {};
  private firstAt: string | undefined;
  private lastAt: string | undefined;
  private readonly items = new Map<string, Listed>();
  /** items beyond MAX_LISTED: ids only, so an item is not counted twice when its remediation follows */
  private readonly unlisted = new Set<string>();
  private dirtyParts = new Set<number>();
  private manualDirty = false;

  constructor(
    readonly key: string,
    readonly campaign: CampaignRef,
  ) {}

  add(r: ItemRecord): void {
    this.events += 1;
    if (!this.firstAt || r.at < this.firstAt) this.firstAt = r.at;
    if (!this.lastAt || r.at > this.lastAt) this.lastAt = r.at;
    const id = itemOf(r);
    if (r.kind === 'decision') {
      const decision = r.decision?.toUpperCase() ?? 'UNKNOWN';
      bump(this.decisions, decision);
      if (decision === 'REVOKE' || this.items.has(id)) {
        this.upsert(id, r, { decision: r.decision, reviewer: r.reviewer ?? r.actor, notes: r.notes });
      }
      return;
    }
    const summary = summarizeRemediation(r);
    bump(this.remediations, summary.label);
    const listedBefore = this.items.get(id);
    if (summary.manual || r.decision?.toUpperCase() === 'REVOKE' || listedBefore) {
      if (summary.manual || listedBefore?.remediation?.manual) this.manualDirty = true;
      this.upsert(id, r, {
        remediation: summary,
        decision: listedBefore?.decision ?? r.decision,
        reviewer: listedBefore?.reviewer ?? r.reviewer,
        notes: listedBefore?.notes ?? r.notes,
      });
    }
  }

  /** what changed since the last call, then forgets it */
  takeChanges(): DigestChanges {
    const changes = { parts: [...this.dirtyParts].sort((a, b) => a - b), manual: this.manualDirty };
    this.dirtyParts = new Set();
    this.manualDirty = false;
    return changes;
  }

  view(totals: CampaignTotals): DigestView {
    return {
      key: this.key,
      campaign: this.campaign,
      events: this.events,
      decisions: { ...this.decisions },
      remediations: { ...this.remediations },
      ...(this.firstAt ? { firstAt: this.firstAt } : {}),
      ...(this.lastAt ? { lastAt: this.lastAt } : {}),
      items: [...this.items.values()].map(({ index: _index, ...item }) => item),
      unlisted: this.unlisted.size,
      totals,
    };
  }

  private upsert(id: string, r: ItemRecord, facts: Partial<DigestItem>): void {
    const known = this.items.get(id);
    if (!known && this.items.size >= MAX_LISTED) {
      this.unlisted.add(id);
      return;
    }
    const index = known?.index ?? this.items.size;
    const given = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as Partial<DigestItem>;
    this.items.set(id, { ...known, ...given, item: id, principal: r.principal, resource: r.resource, index });
    this.dirtyParts.add(Math.floor(index / PART_SIZE));
  }
}
