/**
 * How a card names its kind (the small line under the title) and marks its severity (the emoji before the
 * title). Shared by the Slack and Teams renderers so both products show a card the same way; adapters must
 * not import each other. (The terminal uses plain symbols: not every terminal shows emoji.)
 */
import type { CardKind, Severity } from './card.ts';

export const SEVERITY_MARKERS: Record<Severity, string> = { info: 'ℹ️', success: '✅', warning: '⚠️', danger: '🛑' };

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
  catch_up: 'Caught up',
  still_used: 'Revoked but still used',
};
