/**
 * The neutral card model (SPEC §5): built once from domain records, rendered by each adapter
 * (terminal text in local mode, Slack Block Kit, Teams Adaptive Cards). Nothing here knows a chat product.
 */

/** The routing families of SPEC §2 (`SLACK_CHANNEL_<FAMILY>`): which channel a card goes to. */
export type RouteFamily = 'CERTIFICATION' | 'ACCESS_REQUEST' | 'ACCESS_REVIEW' | 'SYSTEM' | 'ASA' | 'MANUAL';

/** every routing family, in the order SPEC §2 lists them */
export const ROUTE_FAMILIES: readonly RouteFamily[] = ['CERTIFICATION', 'ACCESS_REQUEST', 'ACCESS_REVIEW', 'SYSTEM', 'ASA', 'MANUAL'];

export type CardKind =
  | 'decision'
  | 'remediation'
  | 'manual_remediation'
  | 'campaign'
  | 'access_request'
  | 'access_review'
  | 'system_alert'
  | 'asa'
  /** many certification cards of one campaign at once, collected into one message (src/delivery/digest.ts) */
  | 'digest'
  /** events that were already old when they arrived, summarised in one message (src/delivery/catch-up.ts) */
  | 'catch_up';

/** How loud a card is: colours in Slack/Teams, a marker in the terminal. */
export type Severity = 'info' | 'success' | 'warning' | 'danger';

/** The button ids of SPEC §5 (Slack `action_id` = Teams `Action.Execute` verb). */
export type ActionId = 'oig_manual_claim' | 'oig_manual_done' | 'oig_manual_reopen' | 'oig_manual_verify';

export interface CardFact {
  label: string;
  /** untrusted text from Okta: renderers escape it */
  value: string;
}

export interface CardAction {
  id: ActionId;
  label: string;
  /** the value the button carries back (the task id) */
  value: string;
  style?: 'primary' | 'danger';
}

/** A titled list of lines (the items a digest names); every line is untrusted text. */
export interface CardSection {
  title: string;
  lines: string[];
  /** how many further lines exist but are not shown (the card says "… and N more") */
  more?: number;
}

export interface Card {
  kind: CardKind;
  family: RouteFamily;
  severity: Severity;
  title: string;
  facts: CardFact[];
  /** free text blocks (decision notes, hints, next steps); untrusted */
  notes?: string[];
  actions?: CardAction[];
  /**
   * Identity of the message this card is: a card with a key that was already posted replaces that message
   * (access requests move through create → resolve; a decision card gets its remediation status).
   */
  key?: string;
  /** when set, the card is posted as a reply in the thread of the message with this key */
  threadKey?: string;
  /**
   * Only refresh the message with `key` if one was posted; never post a new message for it. A digest uses it
   * for the status line of decision cards posted before the burst: worth an edit, not a new message.
   */
  updateOnly?: boolean;
  /** grouped lists (a digest's revoked and skipped items), rendered after the notes */
  sections?: CardSection[];
  /** the stored events this card was built from (Okta uuids), for tracing */
  eventIds: string[];
  /** when the newest of those events happened, ISO 8601 */
  at: string;
}
