import type { AccessRequestRecord, CampaignRef, DecisionRecord } from '../domain/records.ts';

/** Counts for one campaign, as far as the store has seen it. */
export interface CampaignTotals {
  /** decisions by value (APPROVE, REVOKE, NORESPONSE …), latest decision per item */
  decisions: Record<string, number>;
  /** remediations by outcome (SUCCESS, SKIPPED, FAILURE …), latest remediation per item */
  remediations: Record<string, number>;
  /** distinct campaign items seen */
  items: number;
}

/**
 * What routing may ask the store while it turns a new record into cards. Read-only and synchronous:
 * the store answers from its in-memory indexes, so routing stays a pure function of (record, store state).
 */
export interface RouteContext {
  /** the latest decision stored for a campaign item, if any */
  decisionFor(item: string): DecisionRecord | undefined;
  /** totals for a campaign (matched by id, else by name) */
  campaignTotals(campaign: CampaignRef): CampaignTotals;
  /** every stored event of one access request, oldest first */
  requestEvents(requestId: string): AccessRequestRecord[];
}
