/** The daily reminder, driven by node-cron under vitest fake timers (STACK-NOTES: advanceTimersByTimeAsync drives it). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledTask } from 'node-cron';
import { pino } from 'pino';
import type { Card } from '../../src/cards/card.ts';
import { buildReminderCard } from '../../src/followup/reminder-card.ts';
import { startReminders } from '../../src/followup/reminders.ts';
import type { ManualTask } from '../../src/followup/task.ts';
import { alice, bob, financeGroup, q2, salesforce } from '../helpers/records.ts';

const NOW = Date.parse('2026-11-20T08:59:30.000Z'); // a Friday, 30 s before 09:00 UTC

function task(id: string, openedAt: string, over: Partial<ManualTask> = {}): ManualTask {
  return { id, state: 'open', openedBy: `ev-${id}`, openedAt, updatedAt: openedAt, principal: alice, resource: salesforce, campaign: q2, ...over };
}

const tasks: ManualTask[] = [
  task('item:fresh', '2026-11-19T20:00:00.000Z'), // 13 h old: not overdue
  task('item:older', '2026-11-15T09:00:00.000Z', { state: 'claimed', owner: { id: 'U0BOB', name: 'Bob', via: 'slack' }, resource: financeGroup, principal: bob }),
  task('item:oldest', '2026-11-10T09:00:00.000Z'),
];

let job: ScheduledTask | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(async () => {
  await job?.destroy();
  job = undefined;
  vi.useRealTimers();
});

describe('manual-task reminders', () => {
  it('posts once per run, listing only tasks open for more than a day, oldest first, with owners', async () => {
    const published: Card[][] = [];
    job = startReminders({ cron: '0 9 * * *', source: { openTasks: () => tasks }, publish: (c) => published.push(c), log: pino({ level: 'silent' }), now: Date.now });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(published).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20_000); // past 09:00
    expect(published).toHaveLength(1);
    const card = published[0]![0]!;
    expect(card.family).toBe('MANUAL');
    expect(card.key).toBeUndefined();
    expect(card.title).toBe('Reminder: 2 manual remediations open for more than a day');
    const lines = card.sections![0]!.lines;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Alice Example · Salesforce \(Q2 access review\): open 10d, unclaimed$/);
    expect(lines[1]).toContain('claimed by Bob');
    expect(card.eventIds).toEqual(['ev-item:oldest', 'ev-item:older']);
    // the next day: one more run, one more message
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(published).toHaveLength(2);
  });

  it('posts nothing when nothing is overdue', async () => {
    const published: Card[][] = [];
    let open = [tasks[0]!];
    job = startReminders({ cron: '0 9 * * *', source: { openTasks: () => open }, publish: (c) => published.push(c), log: pino({ level: 'silent' }), now: Date.now });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(published).toHaveLength(0);
    // the run did happen: a day later the same task is overdue and named
    open = [tasks[0]!];
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(published).toHaveLength(1);
    expect(published[0]![0]!.title).toContain('1 manual remediation open');
  });

  it('keeps a long list inside Block Kit limits', () => {
    const many = Array.from({ length: 40 }, (_, i) => task(`item:${i}`, `2026-10-${String(10 + (i % 20)).padStart(2, '0')}T00:00:00.000Z`));
    const card = buildReminderCard(many, NOW)!;
    expect(card.sections![0]!.lines).toHaveLength(25);
    expect(card.sections![0]!.more).toBe(15);
  });
});
