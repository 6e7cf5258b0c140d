/**
 * The manual-remediation card (SPEC §5): a remediation Okta could not carry out, to be done by hand.
 * It is a small work item, so it shows where the task stands and only the buttons that make sense now.
 */
import type { DecisionRecord, RemediationRecord, Resource } from '../domain/records.ts';
import type { Card, CardAction, CardLink, Severity } from './card.ts';
import {
  MAX_NOTE, MAX_TITLE, campaignText, clip, facts, latestAt, notes, partyShort, partyText, resourceShort, resourceText, timeText,
  workflowsText,
} from './format.ts';
import { manualKey, manualTaskId } from './keys.ts';
import { summarizeRemediation } from './remediation-status.ts';

export type ManualTaskState = 'open' | 'claimed' | 'done';

/** Where the follow-up task stands; the work queue passes it when it rebuilds the card after a press. */
export interface ManualTaskView {
  state: ManualTaskState;
  /** who claimed or finished it, as the chat product names them */
  owner?: string;
  /** when it was claimed or finished, ISO 8601 */
  at?: string;
}

/**
 * What a check in Okta found (src/followup/verify-access.ts): why Okta skipped the removal and what to do,
 * with Admin Console links. Without it the card names the usual causes.
 */
export interface SkipCauseView {
  /** when Okta was asked, ISO 8601 */
  at: string;
  /** the access is no longer in Okta */
  gone?: boolean;
  /** gone because the user was deleted from Okta */
  userDeleted?: boolean;
  /** why Okta skipped it (untrusted: names from Okta) */
  why?: string;
  /** the next step that follows from the cause */
  next?: string;
  /** the objects the cause names, in the Okta Admin Console */
  links?: CardLink[];
}

export interface ManualCardOptions {
  /** the item's decision, for notes and reviewer the remediation event may lack */
  decision?: DecisionRecord;
  /** defaults to a new, open task */
  task?: ManualTaskView;
  /** the cause found in Okta, when one was looked for */
  cause?: SkipCauseView;
}

// SPEC §4: Okta skips removals of access it did not grant directly. Shown until a check in Okta found the cause.
function likelyCause(resource: Resource): string {
  const type = resource.type?.toUpperCase();
  if (type === 'GROUP') {
    return 'Likely cause: the membership comes from a group rule, or the group is assigned by a policy. '
      + 'Okta does not remove rule- or policy-managed memberships.';
  }
  if (type === 'APPLICATION') {
    return 'Likely cause: the app is assigned through a group, so Okta cannot remove the individual assignment. '
      + 'Remove the user from that group or change the assignment.';
  }
  return 'Likely cause: the access was granted indirectly '
    + '(a group rule, an app assigned through a group, or a policy-assigned group or entitlement).';
}

function action(id: CardAction['id'], label: string, value: string, primary = false): CardAction {
  return primary ? { id, label, value, style: 'primary' } : { id, label, value };
}

/** the buttons that make sense for a task in `state` (also under its row in `/oig skipped`) */
export function actionsFor(state: ManualTaskState, taskId: string): CardAction[] {
  const verify = action('oig_manual_verify', 'Verify in Okta', taskId);
  switch (state) {
    case 'open':
      return [
        action('oig_manual_claim', 'Claim', taskId, true),
        action('oig_manual_done', 'Mark done', taskId),
        verify,
      ];
    case 'claimed':
      // Reopen hands a claimed task back to the queue when its owner cannot finish it.
      return [
        action('oig_manual_done', 'Mark done', taskId, true),
        verify,
        action('oig_manual_reopen', 'Reopen', taskId),
      ];
    case 'done':
      // Verify stays: after a manual removal is exactly when checking Okta is most useful.
      return [verify, action('oig_manual_reopen', 'Reopen', taskId)];
  }
}

function taskText(task: ManualTaskView): string {
  const who = task.owner ? ` by ${task.owner}` : '';
  const when = task.at ? ` at ${timeText(task.at)}` : '';
  if (task.state === 'open') return 'Open';
  return `${task.state === 'claimed' ? 'Claimed' : 'Done'}${who}${when}`;
}

/** the "Why Okta skipped it" and "Next step" notes of a found cause (the card's, and the Slack Home tab's) */
export function causeNotes(cause: SkipCauseView, task: ManualTaskView): Array<string | undefined> {
  const checked = `checked in Okta ${timeText(cause.at) ?? cause.at}`;
  if (cause.gone) {
    return [
      cause.userDeleted ? `Okta no longer has this user: deleted, with all of its access (${checked}).` : `Okta no longer shows this access (${checked}).`,
      task.state === 'done' ? undefined : cause.userDeleted ? 'Next step: mark the task done.' : 'Next step: if someone removed it by hand, mark the task done.',
    ];
  }
  if (!cause.why) return [];
  const who = task.state === 'claimed' && task.owner ? ` (${task.owner})` : '';
  return [
    clip(`Why Okta skipped it (${checked}): ${cause.why}`, MAX_NOTE),
    task.state === 'done' || !cause.next ? undefined : clip(`Next step${who}: ${cause.next}`, MAX_NOTE),
  ];
}

function nextStep(task: ManualTaskView): string | undefined {
  if (task.state === 'open') return 'Next step: claim this task, remove the access by hand in Okta, then mark it done.';
  if (task.state === 'claimed') {
    return `Next step: ${task.owner ?? 'the owner'} removes the access by hand in Okta, then marks it done.`;
  }
  return undefined;
}

export function buildManualRemediationCard(r: RemediationRecord, opts: ManualCardOptions = {}): Card {
  const task = opts.task ?? { state: 'open' };
  const s = summarizeRemediation(r);
  const severity: Severity = task.state === 'done' ? 'success' : task.state === 'claimed' ? 'warning' : s.severity;
  const head = task.state === 'done' ? 'Manually remediated' : 'Manual remediation needed';
  const taskId = manualTaskId(r);
  const outcome = [r.outcome, r.remediation && `remediation ${r.remediation}`, r.status && `status ${r.status}`]
    .filter(Boolean)
    .join(', ');
  const decisionNotes = r.notes ?? opts.decision?.notes;
  const reviewer = r.reviewer ?? opts.decision?.reviewer;
  return {
    kind: 'manual_remediation',
    family: 'MANUAL',
    severity,
    title: clip(`${head}: ${partyShort(r.principal)} · ${resourceShort(r.resource)}`, MAX_TITLE),
    facts: facts(
      ['Principal', partyText(r.principal)],
      ['Resource', resourceText(r.resource)],
      ['Resource id', r.resource.id],
      ['Campaign', campaignText(r.campaign)],
      ['Reviewer', reviewer ? partyText(reviewer) : undefined],
      ['Remediated at', timeText(r.at)],
      ['Outcome', outcome],
      ['Reason', r.reason],
      ['Automation', workflowsText(r)],
      ['Task', taskText(task)],
    ),
    notes: notes(
      decisionNotes && `Decision notes: ${decisionNotes}`,
      ...(opts.cause && (opts.cause.gone || opts.cause.why) ? causeNotes(opts.cause, task) : [likelyCause(r.resource), nextStep(task)]),
    ),
    ...(opts.cause?.why && opts.cause.links?.length ? { links: opts.cause.links } : {}),
    actions: actionsFor(task.state, taskId),
    key: manualKey(r),
    eventIds: opts.decision ? [opts.decision.id, r.id] : [r.id],
    at: opts.decision ? latestAt(r.at, opts.decision.at) : r.at,
  };
}
