/**
 * The daily reminder (SPEC §5 "open tasks older than a day are reminded once a day"): one card listing the
 * overdue tasks, oldest first, with their owners; none when nothing is overdue. It has no key, so each
 * reminder is a new message in the manual-remediation channel rather than an edit of yesterday's.
 */
import type { Card } from '../cards/card.ts';
import { durationText, partyShort, resourceShort } from '../cards/format.ts';
import type { ManualTask } from './task.ts';
import { actorName } from './task-rules.ts';

const DAY_MS = 86_400_000;
/** lines shown; the rest are counted ("… and N more") to stay inside Block Kit limits */
const MAX_LINES = 25;

export function overdueTasks(open: readonly ManualTask[], now: number): ManualTask[] {
  return open
    .filter((t) => t.state !== 'done' && now - Date.parse(t.openedAt) > DAY_MS)
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

function line(t: ManualTask, now: number): string {
  const campaign = t.campaign.name ?? t.campaign.id;
  const owner = t.state === 'claimed' ? `claimed by ${actorName(t.owner)}` : 'unclaimed';
  return `${partyShort(t.principal)} · ${resourceShort(t.resource)}${campaign ? ` (${campaign})` : ''}: open ${durationText(now - Date.parse(t.openedAt))}, ${owner}`;
}

export function buildReminderCard(open: readonly ManualTask[], now: number): Card | undefined {
  const overdue = overdueTasks(open, now);
  if (overdue.length === 0) return undefined;
  const n = overdue.length;
  return {
    kind: 'manual_remediation',
    family: 'MANUAL',
    severity: 'warning',
    title: `Reminder: ${n} manual remediation${n === 1 ? '' : 's'} open for more than a day`,
    facts: [],
    notes: ['Claim a task on its card, remove the access by hand in Okta, then mark it done.'],
    sections: [{
      title: 'Oldest first',
      lines: overdue.slice(0, MAX_LINES).map((t) => line(t, now)),
      ...(n > MAX_LINES ? { more: n - MAX_LINES } : {}),
    }],
    eventIds: overdue.slice(0, MAX_LINES).map((t) => t.openedBy),
    at: new Date(now).toISOString(),
  };
}
