import type { SkipCauseView } from '../cards/manual-remediation-card.ts';
import type { CampaignRef, Party, Resource } from '../domain/records.ts';

/**
 * The manual-remediation work queue's vocabulary (SPEC §4, §5), shared by the queue itself, the `/oig`
 * commands (`/oig skipped`, `/oig export skipped`) and the chat adapters. A task is opened by a
 * remediation Okta could not carry out (outcome SKIPPED or FAILURE, status ERROR or MANUAL), one per
 * campaign item; its id is `manualTaskId()` of src/cards/keys.ts (`item:<campaignItemId>`).
 */
export type TaskState = 'open' | 'claimed' | 'done';

/** The SPEC §5 buttons, without the `oig_manual_` prefix. */
export type TaskActionName = 'claim' | 'done' | 'reopen' | 'verify';

/** Who pressed: as the chat product identifies them. */
export interface Actor {
  /** Slack user id or Teams AAD object id */
  id: string;
  /** display name */
  name?: string;
  /** email (Slack) or UPN (Teams), when known */
  email?: string;
  /** 'bot': the bot itself (a drift check that reopened a task) */
  via: 'slack' | 'teams' | 'bot';
}

/** How the bot names itself in the audit trail when it acts on its own (drift checks). */
export const BOT_ACTOR: Actor = { id: 'oig-chatops', name: 'oig-chatops (drift check)', via: 'bot' };

export interface ManualTask {
  id: string;
  state: TaskState;
  /** the remediation event that opened the task (and the latest one that changed it) */
  openedBy: string;
  openedAt: string;
  updatedAt: string;
  item?: string;
  principal: Party;
  resource: Resource;
  campaign: CampaignRef;
  reviewer?: Party;
  notes?: string;
  /** Okta's outcome/status/reason of the remediation that opened it */
  outcome?: string;
  status?: string;
  reason?: string;
  /** who claimed it, or finished it */
  owner?: Actor;
  /** when it was claimed or finished */
  ownedAt?: string;
  /** set when a SUCCESS remediation closed it without a person */
  closedByOkta?: boolean;
}

/** One button press, allowed or refused: the audit trail (SPEC §5 "every press is stored"). */
export interface TaskAudit {
  at: string;
  taskId: string;
  action: TaskActionName;
  actor: Actor;
  /** ok, or why nothing changed */
  result: 'ok' | 'refused' | 'unknown_task' | 'invalid_state' | 'error';
  detail?: string;
}

/** What the commands and adapters may read from the work queue. */
export interface TaskSource {
  openTasks(): ManualTask[];
  get(id: string): ManualTask | undefined;
  /** the presses of one task, or all, newest first */
  audit(taskId?: string): TaskAudit[];
  /**
   * Calls `listener` with the tasks after each change this process stores (what the Slack Home tab
   * refreshes on); returns the unsubscribe. Optional: a read-only source has nothing to tell.
   */
  onChange?(listener: (tasks: readonly ManualTask[]) => void): () => void;
  /** what the last check in Okta found (the task card's "Why Okta skipped it"), once one ran */
  cause?(taskId: string): SkipCauseView | undefined;
}
