/**
 * Security access review events (access.review.*): one card per event; they are rare and each one
 * (created, started, a reviewer's action, its remediation, closed) is worth a line in the channel.
 */
import type { AccessReviewRecord } from '../domain/records.ts';
import type { Card, Severity } from './card.ts';
import { MAX_TITLE, clip, facts, notes, partyText, resourceText, timeText, workflowsText } from './format.ts';

const TITLES: Record<string, string> = {
  create: 'Access review created',
  start: 'Access review started',
  update: 'Access review updated',
  action: 'Access review action',
  remediate: 'Access review remediation',
  close: 'Access review closed',
};

function severityOf(r: AccessReviewRecord): Severity {
  const outcome = r.outcome?.toUpperCase();
  if (outcome === 'FAILURE' || outcome === 'DENY') return 'danger';
  if (outcome === 'SKIPPED') return 'warning';
  // "remediate" records what happened to the access: a success there is the good news worth colouring.
  return r.action === 'remediate' && outcome === 'SUCCESS' ? 'success' : 'info';
}

export function buildAccessReviewCard(r: AccessReviewRecord): Card {
  const name = r.review.name?.trim() || r.review.id;
  const head = TITLES[r.action] ?? `Access review ${r.action}`;
  return {
    kind: 'access_review',
    family: 'ACCESS_REVIEW',
    severity: severityOf(r),
    title: clip(name ? `${head}: ${name}` : head, MAX_TITLE),
    facts: facts(
      ['Review', name],
      ['Action', r.action],
      ['Principal', r.principal ? partyText(r.principal) : undefined],
      ['Resource', r.resource ? resourceText(r.resource) : undefined],
      ['Decision', r.decision],
      ['By', r.actor ? partyText(r.actor) : undefined],
      ['Automation', workflowsText(r)],
      ['Outcome', r.outcome],
      ['Reason', r.reason],
      ['At', timeText(r.at)],
    ),
    notes: notes(r.msg),
    eventIds: [r.id],
    at: r.at,
  };
}
