/**
 * What a check in Okta found about a task's access (verify-access.ts finds it, cause-text.ts words it).
 * Three answers only: the access is there (and why Okta could not remove it), it is gone (every list was
 * read to its end and it is not there, or the user no longer exists in Okta), or the check could not tell
 * (a timeout, an error, a list that could not be read whole): "could not tell" is never turned into "gone".
 */
import type { AppRef } from '../okta/admin-links.ts';
import type { GrantSource } from '../okta/principal-access.ts';

export interface GroupRef {
  id: string;
  name: string;
  /** OKTA_GROUP, APP_GROUP, BUILT_IN */
  type?: string;
}

export interface RuleRef {
  id: string;
  name: string;
  /** the rule's Okta Expression Language condition */
  expression?: string;
}

/** why a user is in a group, as far as Okta's API shows it */
export type GroupCause =
  /** ACTIVE group rules put users in this group: Okta does not remove rule-managed memberships */
  | { kind: 'rule'; group: GroupRef; rules: RuleRef[] }
  /** an APP_GROUP: imported from a directory or app, its members are managed at the source */
  | { kind: 'imported'; group: GroupRef; source?: AppRef }
  /** a BUILT_IN group (Everyone): every user is in it */
  | { kind: 'built_in'; group: GroupRef }
  /** an Okta group with no active rule for it: a direct membership */
  | { kind: 'direct'; group: GroupRef };

export type Cause =
  /** the resource is a group: the membership */
  | { kind: 'membership'; via: GroupCause }
  /** the app is assigned to the user directly (scope USER) */
  | { kind: 'app_direct'; app: AppRef }
  /** the app is assigned through groups (scope GROUP); `via` are the user's groups that carry the app */
  | { kind: 'app_group'; app: AppRef; via: GroupCause[] };

export interface AccessPresent {
  access: 'present';
  cause: Cause;
  /** Identity Governance grants of the app for the user, when the governance API answered */
  grants?: GrantSource[];
}

export interface AccessGone {
  access: 'gone';
  /** Okta answers 404 for the user itself: deleted, so none of its access is left */
  userDeleted?: true;
}

export type AccessCheck = AccessPresent | AccessGone | { access: 'unknown'; why: string };
