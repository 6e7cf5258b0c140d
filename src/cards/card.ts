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
  | 'catch_up'
  /** ASA/OPA used by a person after a REVOKE decision took their access (src/cards/still-used-card.ts) */
  | 'still_used';

/** How loud a card is: colours in Slack/Teams, a marker in the terminal. */
export type Severity = 'info' | 'success' | 'warning' | 'danger';

/** The button ids of SPEC §5 (Slack `action_id` = Teams `Action.Execute` verb). */
export type ActionId = 'oig_manual_claim' | 'oig_manual_done' | 'oig_manual_reopen' | 'oig_manual_verify';

export interface CardFact {
  /** our own words (trusted) */
  label: string;
  /** untrusted text from Okta: renderers show it literally (one line, no formatting; src/cards/untrusted-text.ts) */
  value: string;
}

/**
 * A link the bot builds itself (an object in the Okta Admin Console): the only way a card shows a link under
 * words of its own. Untrusted text never does — `<https://evil|Okta>` or `[Okta](https://evil)` in a name is
 * shown as those characters — so a link hidden in Okta data cannot pass for one of ours. Put links here, not
 * in facts or notes (where a URL is only text). Renderers accept only http(s) URLs.
 */
export interface CardLink {
  /** what the link says ("Open the group in the Okta Admin Console"); may quote a name, so shown literally */
  label: string;
  url: string;
}

/** the link's URL when it is one a card may show (http or https), else undefined: what both renderers check */
export function linkUrl(link: CardLink): URL | undefined {
  try {
    const url = new URL(link.url);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
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
  /** untrusted: titles quote names ("Manual remediation needed: <name> · <resource>"); shown as one literal line */
  title: string;
  facts: CardFact[];
  /** free text blocks (decision notes, hints, next steps); untrusted: shown literally, line breaks kept */
  notes?: string[];
  /** links we built (CardLink), shown after the notes as real links */
  links?: CardLink[];
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
