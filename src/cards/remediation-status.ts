/**
 * What a remediation event means for a person, in one place so the decision card's status line, the
 * remediation reply and the manual-remediation card never disagree.
 */
import { needsManualRemediation, type RemediationRecord } from '../domain/records.ts';
import type { Severity } from './card.ts';

export interface RemediationSummary {
  /** the Okta word that decided it: SUCCESS, SKIPPED, FAILURE, ERROR, MANUAL, OPEN … */
  label: string;
  /** what it means for the access */
  meaning: string;
  severity: Severity;
  manual: boolean;
}

const upper = (s: string | undefined): string | undefined => s?.trim().toUpperCase() || undefined;

export function summarizeRemediation(r: RemediationRecord): RemediationSummary {
  const outcome = upper(r.outcome);
  const status = upper(r.status);
  if (needsManualRemediation(r)) {
    // SPEC §4: outcome SKIPPED means Okta could not remove the access; FAILURE/ERROR are louder than that.
    const label = outcome === 'SKIPPED' || outcome === 'FAILURE' ? outcome : (status ?? 'UNKNOWN');
    const severity: Severity = outcome === 'FAILURE' || status === 'ERROR' ? 'danger' : 'warning';
    return { label, meaning: 'manual remediation needed', severity, manual: true };
  }
  if (upper(r.remediation) === 'NO_ACTION') {
    return { label: 'NO_ACTION', meaning: 'no change made, access kept', severity: 'info', manual: false };
  }
  if (status === 'OPEN') return { label: 'OPEN', meaning: 'removal pending in Okta', severity: 'info', manual: false };
  if (status === 'SUCCESS' || (status === undefined && outcome === 'SUCCESS')) {
    return { label: 'SUCCESS', meaning: 'access removed', severity: 'success', manual: false };
  }
  // e.g. status NONE: Okta did not say it removed anything, so do not claim it did.
  const label = status ?? outcome ?? 'UNKNOWN';
  return { label, meaning: 'result unclear, check in Okta', severity: 'warning', manual: false };
}
