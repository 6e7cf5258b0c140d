/** What the turn handlers share: the bot's state and services, and what the current request says. */
import type { Logger } from 'pino';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import type { TaskPresser } from '../../../src/delivery/chat-adapter.ts';
import type { CsvExports } from '../csv-exports.ts';
import type { Subscriptions } from '../subscriptions.ts';


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
