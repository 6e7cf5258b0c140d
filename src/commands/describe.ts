/** Short readable forms of records for answer lines and CSV cells. */
import type { EventRecord, Party, Resource } from '../domain/records.ts';
import { auditOrigin } from '../normalize/opa.ts';

export function who(p: Party | undefined): string {
  return p?.name ?? p?.login ?? p?.id ?? '';
}

export function what(r: Resource | undefined): string {
  return r?.name ?? r?.id ?? '';
}

/** "2026-11-20 09:30 UTC": minutes are enough in chat; CSV keeps the full ISO time */
export function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3d", "5h", "12m": the age of a task */
export function age(fromIso: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(fromIso));
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)}d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}h`;
  return `${Math.floor(ms / 60_000)}m`;
}

/**
 * Records newest first. Index lists are in arrival order, which is nearly always time order: check that in
 * one pass and reverse, and sort (O(n log n), tens of ms at 70k) only when Okta really delivered out of order.
 */
export function newestFirst<T extends { at: string }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) {
    if (list[i - 1]!.at > list[i]!.at) return list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }
  return list.reverse();
}

/** one line saying what a record is, for a person's timeline */
export function summarize(r: EventRecord): string {
  switch (r.kind) {
    case 'decision':
      return `${r.decision ?? 'decision'} of ${what(r.resource)} for ${who(r.principal)} in ${r.campaign.name ?? r.campaign.id ?? 'a campaign'}${r.reviewer ? ` by ${who(r.reviewer)}` : ''}`;
    case 'remediation':
      return `remediation ${r.outcome ?? ''}${r.status ? ` (${r.status})` : ''} of ${what(r.resource)} for ${who(r.principal)}${r.reason ? `: ${r.reason}` : ''}`;
    case 'access_request':
      return `request ${r.action}: ${r.subject ?? what(r.resource)}${r.outcome && r.outcome !== 'SUCCESS' ? ` (${r.outcome})` : ''}`;
    case 'access_review':
      return `access review ${r.action}: ${r.review.name ?? r.review.id ?? ''}${r.decision ? ` (${r.decision})` : ''}`;
    case 'asa':
      // "OPA pam.secret.reveal: …" for Okta Privileged Access events from the System Log
      return `${auditOrigin(r)} ${r.type}: ${r.text ?? [r.user, r.server].filter(Boolean).join(' → ')}`;
    case 'campaign':
      return `campaign ${r.action}: ${r.campaign.name ?? r.campaign.id ?? ''}`;
    default:
      return r.msg ?? r.type;
  }
}
