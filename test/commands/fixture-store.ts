/**
 * A real LowdbEventStore in a temporary DATA_DIR, filled with typed records from the builders, and a small
 * array-backed TaskSource: what the engine tests run against (nothing of ours mocked).
 */
import { rm } from 'node:fs/promises';
import type { EventRecord } from '../../src/domain/records.ts';
import type { ManualTask, TaskAudit, TaskSource } from '../../src/followup/task.ts';
import { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { makeDataDir } from '../helpers/start-bot.ts';
import { accessRequest, accessReview, alice, asa, bob, campaign, decision, financeGroup, q2, remediation, rita, salesforce, skipped, systemAlert } from '../helpers/records.ts';

export const NOW = new Date('2026-11-21T12:00:00.000Z');
const daysAgo = (d: number, h = 0): string => new Date(NOW.getTime() - d * 86_400_000 - h * 3_600_000).toISOString();

export const carol = { id: '00u3carol', name: 'Carol Danvers', login: 'carol@example.com' };
export const q3 = { id: 'icicmp3', name: 'Q3 finance review' };

/** the fixture: two campaigns, revokes old and new, skipped remediations, requests, reviews, ASA */
export function fixtureRecords(): EventRecord[] {
  return [
    campaign('launch', { id: 'c-q2-launch', at: daysAgo(30) }),
    campaign('launch', { id: 'c-q3-launch', at: daysAgo(20), campaign: q3 }),
    decision({ id: 'd1', item: 'I1', at: daysAgo(20), principal: alice, resource: salesforce, decision: 'REVOKE', notes: '=HYPERLINK("http://evil")' }),
    remediation({ id: 'r1', item: 'I1', at: daysAgo(20, -1), principal: alice, resource: salesforce }),
    decision({ id: 'd2', item: 'I2', at: daysAgo(3), principal: bob, resource: salesforce, decision: 'REVOKE', notes: 'moved teams' }),
    skipped({ id: 'r2', item: 'I2', at: daysAgo(3, -1), principal: bob, resource: salesforce, reason: 'assigned through a group rule' }),
    decision({ id: 'd3', item: 'I3', at: daysAgo(2), principal: carol, resource: salesforce, decision: 'APPROVE' }),
    decision({ id: 'd4', item: 'I4', at: daysAgo(1), principal: carol, resource: financeGroup, campaign: q3, decision: 'REVOKE' }),
    skipped({ id: 'r4', item: 'I4', at: daysAgo(1, -1), principal: carol, resource: financeGroup, campaign: q3 }),
    accessRequest('create', { id: 'q1c', request: 'REQ1', at: daysAgo(5), requester: bob, requestedFor: bob }),
    accessRequest('resolve', { id: 'q1r', request: 'REQ1', at: daysAgo(4), requester: bob, requestedFor: bob }),
    accessRequest('create', { id: 'q2c', request: 'REQ2', at: daysAgo(1), requester: alice, requestedFor: alice, subject: 'Finance for Alice', resource: financeGroup }),
    accessReview('action', { id: 'rv1', at: daysAgo(2), principal: alice, resource: salesforce, decision: 'KEEP' }),
    asa({ id: 'asa:1', type: 'user.login', at: daysAgo(1), user: 'alice', server: 'web-01', text: 'alice logged in to web-01' }),
    asa({ id: 'asa:2', type: 'server.enroll', at: daysAgo(0, 2), server: 'db-01', text: 'db-01 enrolled' }),
    systemAlert('system.org.rate_limit.warning', { id: 's1', at: daysAgo(0, 1) }),
  ];
}

export async function fixtureStore(records: EventRecord[] = fixtureRecords()): Promise<{ store: LowdbEventStore; close(): Promise<void> }> {
  const dataDir = await makeDataDir();
  const store = new LowdbEventStore({ dataDir, retentionDays: 3650 });
  await store.open();
  await store.append(records);
  return {
    store,
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function task(over: Partial<ManualTask> & { id: string }): ManualTask {
  return {
    state: 'open', openedBy: 'r2', openedAt: daysAgo(3), updatedAt: daysAgo(3), item: 'I2',
    principal: bob, resource: salesforce, campaign: q2, reviewer: rita, outcome: 'SKIPPED', reason: 'assigned through a group rule',
    ...over,
  };
}

/** an array-backed work queue */
export function taskSource(tasks: ManualTask[], audits: TaskAudit[] = []): TaskSource {
  return {
    openTasks: () => tasks.filter((t) => t.state !== 'done'),
    get: (id) => tasks.find((t) => t.id === id),
    audit: (taskId) => audits.filter((a) => !taskId || a.taskId === taskId).sort((a, b) => (a.at < b.at ? 1 : -1)),
  };
}

export const TASKS = [
  task({ id: 'item:I2' }),
  task({ id: 'item:I4', item: 'I4', openedAt: daysAgo(1), principal: carol, resource: financeGroup, campaign: q3, owner: { id: 'U0RITA', name: 'Rita', via: 'slack' } }),
];
export const AUDITS: TaskAudit[] = [
  { at: daysAgo(0, 5), taskId: 'item:I4', action: 'claim', actor: { id: 'U0RITA', name: 'Rita', via: 'slack' }, result: 'ok' },
];
