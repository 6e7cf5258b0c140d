/**
 * Runs the reminder on REMINDER_CRON (default weekdays 09:00) with node-cron 4. `noOverlap`: a slow sink
 * never lets two reminders of the same day pile up. The card goes out through `publish`, like task cards.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Card } from '../cards/card.ts';
import { buildReminderCard } from './reminder-card.ts';
import type { TaskSource } from './task.ts';

export interface ReminderDeps {
  cron: string;
  source: Pick<TaskSource, 'openTasks'>;
  publish: (cards: Card[]) => void;
  log: Logger;
  now?: () => number;
  /** false on a replica that does not lead: one replica reminds (default: always) */
  leading?: () => boolean;
}

/** one reminder now: returns how many tasks it named (0: nothing posted) */
export function remindNow(d: ReminderDeps): number {
  const card = buildReminderCard(d.source.openTasks(), (d.now ?? Date.now)());
  if (!card) return 0;
  d.publish([card]);
  const named = card.sections?.[0];
  return (named?.lines.length ?? 0) + (named?.more ?? 0);
}

export function startReminders(d: ReminderDeps): ScheduledTask {
  const task = createTask(d.cron, () => {
    if (d.leading?.() === false) return;
    try {
      const n = remindNow(d);
      if (n > 0) d.log.info({ overdue: n }, 'reminded of overdue manual-remediation tasks');
    } catch (err) {
      d.log.error({ err }, 'the manual-remediation reminder failed');
    }
  }, {
    name: 'manual-task-reminder',
    noOverlap: true,
    // a reminder schedule must not keep the process alive on shutdown
    unref: true,
    // node-cron would print its own messages to the console otherwise
    logger: {
      info: (m) => d.log.debug({ cron: true }, m),
      warn: (m) => d.log.debug({ cron: true }, m),
      error: (m, err) => d.log.error({ cron: true, err: err ?? m }, 'cron task error'),
      debug: (m) => d.log.trace({ cron: true }, String(m)),
    },
  });
  void task.start();
  return task;
}
