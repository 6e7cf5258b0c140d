/** What the turn handlers share: the bot's state and services, and what the current request says. */
import type { Logger } from 'pino';
import type { Card } from '../../../src/cards/card.ts';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import type { PressOutcome } from '../../../src/followup/work-queue.ts';
import type { Actor, TaskActionName } from '../../../src/followup/task.ts';
import type { CsvExports } from '../csv-exports.ts';
import type { Subscriptions } from '../subscriptions.ts';

/** the work queue as the buttons use it */
export interface TaskPresser {
  press(action: TaskActionName, taskId: string, actor: Actor): Promise<PressOutcome>;
  /** the task's card as it stands now */
  card(taskId: string): Card | undefined;
}

export interface TurnDeps {
  subscriptions: Subscriptions;
  exports: CsvExports;
  /** the store and friends for `oig …` answers; without it only the help is answered */
  commands?: CommandDeps;
  /** without it a button press is answered "not available" */
  tasks?: TaskPresser;
  /** config.allowedUsers: decides whether the clicker's UPN must be looked up */
  allowedUsers: readonly string[];
  /** TEAMS_TENANT_ID: activities from another tenant are refused (single-tenant bot) */
  tenantId?: string;
  /** how long a button press may take before Teams is answered "later" (card-actions.ts INVOKE_BUDGET_MS) */
  invokeBudgetMs?: number;
  log: Logger;
}

/** per request: where the bot is reachable (for download links) */
export interface RequestInfo {
  publicUrl: string;
}
