/**
 * What each card kind is called where a card names its kind (the small line under the title). Shared by the
 * Slack and Teams renderers so both products call a card the same thing; adapters must not import each other.
 */
import type { CardKind } from './card.ts';

export const KIND_LABELS: Record<CardKind, string> = {
  decision: 'Access certification decision',
  remediation: 'Access certification remediation',
  manual_remediation: 'Manual remediation task',
  campaign: 'Access certification campaign',
  access_request: 'Access request',
  access_review: 'Security access review',
  system_alert: 'Okta system alert',
  asa: 'Okta Advanced Server Access',
  digest: 'Campaign digest',
};
