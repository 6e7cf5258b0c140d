/**
 * The domain records the bot stores: one compact, typed record per Okta or ASA event.
 *
 * Everything downstream (store indexes, routing, cards, /oig queries) reads these records, never the raw
 * Okta payload. Records are kept small on purpose: at 1M stored events every byte counts (SPEC §7, §8),
 * so optional fields are left out rather than set to null, and the raw event is kept only when it could
 * not be understood (kind "unparsed").
 */

/** Where a record came from. The same Okta event can arrive by hook and by System Log backfill: it is stored once. */
export type Source = 'hook' | 'system_log' | 'asa' | 'demo';

/** The families of SPEC §4; they also decide the Slack/Teams channel (SPEC §2 `SLACK_CHANNEL_<FAMILY>`). */
export type Family = 'certification' | 'access_request' | 'access_review' | 'system' | 'asa' | 'other';

/** A person or thing Okta names: a user, a reviewer, a requester. Every part is optional in Okta's data. */
export interface Party {
  id?: string;
  /** displayName */
  name?: string;
  /** alternateId, usually the login / email */
  login?: string;
}

/** What a campaign item or request is about: an application or a group (SPEC §4 `campaignItemResourceType`). */
export interface Resource {
  id?: string;
  name?: string;
  /** APPLICATION, GROUP, or whatever Okta sends */
  type?: string;
}

export interface CampaignRef {
  id?: string;
  name?: string;
}

/**
 * Okta Workflows acts under the account that authorized the Workflows connection; Okta marks those calls
 * with `client.userAgent.rawUserAgent = "Azuqua"` (SPEC §4). The owner is that account.
 */
export interface WorkflowsAttribution {
  owner: Party;
}

/** Fields every record has. Short on purpose: they are repeated a million times. */
export interface RecordBase {
  /** Okta `uuid` (unique per event, the dedup key); ASA events use `asa:<id>` */
  id: string;
  /** Okta `eventType` (or the ASA `details.type`) */
  type: string;
  family: Family;
  /** when it happened (Okta `published`), ISO 8601 UTC */
  at: string;
  src: Source;
  actor?: Party;
  /** Okta `outcome.result`: SUCCESS, SKIPPED, FAILURE, ALLOW, DENY, UNKNOWN … */
  outcome?: string;
  /** Okta `outcome.reason` */
  reason?: string;
  /** Okta `displayMessage` */
  msg?: string;
  /** set when the event was caused by Okta Workflows */
  wf?: WorkflowsAttribution;
  /**
   * The record's position in the event log, given by the store when it commits the record (1, 2, 3 … in
   * commit order). Routing remembers the position it has handed to the outboxes, so after any crash it
   * routes exactly what is stored but not routed yet. Absent in records stored before positions existed
   * (they were routed then).
   */
  seq?: number;
  /**
   * Set when the event was already old when it reached the bot (a first ASA poll, a catch-up, a System
   * Log backfill: see src/intake/history.ts): it is stored and answerable, but summarised instead of posted.
   */
  late?: true;
}

/** Review decisions Okta documents; other strings are kept as they come. */
export type DecisionValue = 'APPROVE' | 'REVOKE' | 'UNREVIEWED' | 'DELEGATE' | 'NORESPONSE' | (string & {});
export type RemediationValue = 'DENY' | 'NO_ACTION' | (string & {});
export type RemediationStatus = 'ERROR' | 'MANUAL' | 'NONE' | 'OPEN' | 'SUCCESS' | (string & {});

/** The campaign item facts shared by decide and remediate events. */
export interface CampaignItemFacts {
  campaign: CampaignRef;
  /** campaignItemId: the key that ties a decision to its remediation and to a manual task */
  item?: string;
  principal: Party;
  resource: Resource;
  reviewer?: Party;
  decision?: DecisionValue;
  notes?: string;
  /** campaignItemResourceStatus */
  resourceStatus?: string;
}

/** certification.campaign.item.decide */
export interface DecisionRecord extends RecordBase, CampaignItemFacts {
  kind: 'decision';
  family: 'certification';
}

/** certification.campaign.item.remediate */
export interface RemediationRecord extends RecordBase, CampaignItemFacts {
  kind: 'remediation';
  family: 'certification';
  remediation?: RemediationValue;
  status?: RemediationStatus;
}

/** certification.campaign.launch / .close / .update */
export interface CampaignRecord extends RecordBase {
  kind: 'campaign';
  family: 'certification';
  /** the last part of the event type: launch, close, update */
  action: string;
  campaign: CampaignRef;
}

/** The 16 access.request.* types. */
export interface AccessRequestRecord extends RecordBase {
  kind: 'access_request';
  family: 'access_request';
  /** the event type after `access.request.`: create, resolve, condition.create … */
  action: string;
  /** accessRequestId; absent for condition/sequence/settings events that are about configuration */
  request?: string;
  /** accessRequestSubject: readable and stable across the lifecycle (target names degrade to "Task with id X") */
  subject?: string;
  requester?: Party;
  requestedFor?: Party;
  resource?: Resource;
  /** accessScopeId / accessScopeType */
  scope?: Resource;
}

/** The 6 access.review.* types (security access reviews). */
export interface AccessReviewRecord extends RecordBase {
  kind: 'access_review';
  family: 'access_review';
  /** create, start, update, action, remediate, close */
  action: string;
  review: CampaignRef;
  principal?: Party;
  resource?: Resource;
  /** the reviewer's action or the remediation result, when Okta says */
  decision?: string;
}

/** The system alerts of SPEC §4 (rate limits, API tokens, imports, phone verification, authenticators). */
export interface SystemAlertRecord extends RecordBase {
  kind: 'system_alert';
  family: 'system';
  /** the targets Okta names, as readable "Type: name" strings */
  targets?: string[];
  /** selected debugData facts, e.g. rateLimitScopeType, threshold, warningPercent, urlPattern */
  facts?: Record<string, string>;
}

/** An ASA auditsV2 event, with `related_objects` resolved into readable text (SPEC §6). */
export interface AsaRecord extends RecordBase {
  kind: 'asa';
  family: 'asa';
  /** readable sentence: "alice (status ACTIVE) logged in to web-01 (project prod)" */
  text?: string;
  user?: string;
  server?: string;
  project?: string;
  /** resolved details, flat */
  details?: Record<string, string>;
  /** set by the ASA mapper for the types worth a card (SPEC §5: only notable ASA types are posted) */
  notable?: boolean;
}

/** An event type the bot does not know: kept with Okta's own words so nothing is lost. */
export interface OtherRecord extends RecordBase {
  kind: 'other';
  targets?: string[];
}

/**
 * An event the mappers could not understand (wrong shapes, a mapper error). Stored raw so nothing is lost;
 * `problem` says what was wrong.
 */
export interface UnparsedRecord extends RecordBase {
  kind: 'unparsed';
  problem: string;
  raw: unknown;
}

export type EventRecord =
  | DecisionRecord
  | RemediationRecord
  | CampaignRecord
  | AccessRequestRecord
  | AccessReviewRecord
  | SystemAlertRecord
  | AsaRecord
  | OtherRecord
  | UnparsedRecord;

export type RecordKind = EventRecord['kind'];

/**
 * A remediation Okta could not carry out and a human has to do by hand (SPEC §4, §5):
 * outcome SKIPPED or FAILURE, or remediation status ERROR or MANUAL.
 */
export function needsManualRemediation(r: RemediationRecord): boolean {
  const outcome = r.outcome?.toUpperCase();
  const status = r.status?.toUpperCase();
  return outcome === 'SKIPPED' || outcome === 'FAILURE' || status === 'ERROR' || status === 'MANUAL';
}
