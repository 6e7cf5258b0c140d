/** A new task from the remediation Okta could not carry out (SPEC §4: SKIPPED, FAILURE, status ERROR/MANUAL). */
import { manualTaskId } from '../cards/keys.ts';
import type { RemediationRecord } from '../domain/records.ts';
import type { ManualTask } from './task.ts';

export function taskFromRecord(r: RemediationRecord): ManualTask {
  return {
    id: manualTaskId(r),
    state: 'open',
    openedBy: r.id,
    // when Okta skipped it, not when the bot heard of it: a backfilled event is already that old
    openedAt: r.at,
    updatedAt: r.at,
    ...(r.item ? { item: r.item } : {}),
    principal: r.principal,
    resource: r.resource,
    campaign: r.campaign,
    ...(r.reviewer ? { reviewer: r.reviewer } : {}),
    ...(r.notes ? { notes: r.notes } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
    ...(r.status ? { status: r.status } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** a remediation that did what was asked: it closes the item's task */
export function isSuccess(r: RemediationRecord): boolean {
  return r.outcome?.toUpperCase() === 'SUCCESS' && (r.status === undefined || r.status.toUpperCase() === 'SUCCESS');
}
