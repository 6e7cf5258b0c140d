/**
 * Bolt listeners: translators only (STYLE practice 1). They take Slack's payload, call a pure function or
 * the core, and hand the result back to Bolt; no rule about Okta, cards or permissions lives here.
 */
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CommandDeps } from '../../../src/commands/deps.ts';
import { registerTaskActions, type TaskActionDeps } from '../actions/register-actions.ts';
import { registerOigCommand } from '../commands/oig-listeners.ts';
import type { HomeSurface } from '../home/home-tab.ts';
import { registerHomeTab } from '../home/register-home.ts';

export function registerListeners(app: App, log: Logger, commands?: CommandDeps, taskActions?: TaskActionDeps, home?: HomeSurface): void {
  // `/oig …` and its "more" button (SPEC §5); without a store only the help answers
  registerOigCommand(app, commands, log);

  // The manual-remediation buttons (SPEC §5). Only one listener may ack a click (Bolt runs every match),
  // so without a work queue a click is acknowledged and logged here instead.
  if (taskActions) registerTaskActions(app, { ...taskActions, ...(commands ? { commands } : {}), ...(home ? { home } : {}) });
  else {
    app.action(/^oig_manual_/, async ({ ack, action }) => {
      await ack();
      log.info({ action: 'action_id' in action ? action.action_id : undefined }, 'a manual-remediation button was pressed, but no work queue is wired');
    });
  }

  // the Home tab: the work queue for the person who opens it (issue 14 §2)
  if (home) registerHomeTab(app, home);

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'a Slack listener failed');
  });
}
