/**
 * What the Home tab refreshes on: the work queue's onChange, heard for every change it stores — routing
 * opening and closing a task, a press, a reconcile, and the background checks in Okta (a diagnosis, a drift
 * reopen) — and for nothing else (a refused or repeated press, a repeated skip). The real work queue with
 * its task file, the real OktaApi against the fake Okta, and a clock the test moves.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import type { Agent } from 'undici';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ManualTask } from '../../src/followup/task.ts';
import { WorkQueue } from '../../src/followup/work-queue.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { OktaApi } from '../../src/okta/okta-api.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { OktaReader } from '../../src/okta/okta-reader.ts';
import { FileStateStore } from '../../src/store/file-state-store.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { alice, financeGroup, remediation, skipped } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const DAY = 86_400_000;
const ann = { id: 'U0ANN', name: 'Ann', via: 'slack' as const };
const mallory = { id: 'U0MALLORY', via: 'slack' as const };

let okta: FakeOkta;
let agent: Agent;
let dir: string;
let q: WorkQueue | undefined;
let clock = Date.parse('2026-11-01T10:00:00.000Z');

beforeEach(async () => {
  okta = await FakeOkta.start();
  agent = createHttpAgent({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
  dir = await makeDataDir();
});
afterEach(async () => {
  await q?.stop();
  await agent.destroy();
  await okta.close();
  await rm(dir, { recursive: true, force: true });
});

it('tells every stored change, with the task as it is now, and nothing when nothing changed', async () => {
  const http = new HttpClient({ dispatcher: agent, maxAttempts: 1, log: pino({ level: 'silent' }) });
  const api = new OktaApi(new OktaReader(oktaConnection({ orgUrl: okta.url, apiToken: okta.token }), http), { now: () => clock });
  q = await WorkQueue.open({
    state: new FileStateStore(dir), allowedUsers: ['u0ann'], publish: () => undefined, okta: api, verifyAfterMs: [DAY],
    now: () => clock, log: pino({ level: 'silent' }),
  });
  const heard: string[] = [];
  const stop = q.onChange((tasks: readonly ManualTask[]) => heard.push(tasks.map((t) => `${t.id}:${t.state}`).join(',')));
  const take = () => heard.splice(0);
  okta.addGroup(financeGroup.id!, 'Finance');

  // routing opens a task; the same skip again changes nothing
  await q.onStored([skipped({ item: 'G', resource: financeGroup, at: '2026-11-01T09:00:00.000Z' })]);
  await q.onStored([skipped({ item: 'G', resource: financeGroup, at: '2026-11-01T09:00:00.000Z' })]);
  expect(take()).toEqual(['item:G:open']);
  // the background diagnosis stores what Okta says (Alice is no longer in the group)
  await q.checks!.runDue();
  expect(take()).toEqual(['item:G:open']);

  // a refused press and a repeated one change nothing
  await q.press('claim', 'item:G', mallory);
  expect(take()).toEqual([]);
  await q.press('claim', 'item:G', ann);
  await q.press('claim', 'item:G', ann);
  expect(take()).toEqual(['item:G:claimed']);
  await q.press('done', 'item:G', ann);
  expect(take()).toEqual(['item:G:done']);

  // a day later the access is back: the drift check reopens the task
  okta.addMember(alice.id!, financeGroup.id!);
  okta.addRule('0prFin', 'Finance by department', [financeGroup.id!], 'ACTIVE', 'user.department == "Finance"');
  clock += DAY + 1;
  await q.checks!.runDue();
  expect(take()).toEqual(['item:G:open']);

  // a later SUCCESS for the item closes it; reconcile opens what was missing
  await q.onStored([remediation({ item: 'G', resource: financeGroup, at: new Date(clock).toISOString() })]);
  expect(take()).toEqual(['item:G:done']);
  expect(await q.reconcile([skipped({ item: 'R1' }), skipped({ item: 'R2' })])).toBe(2);
  expect(take()).toEqual(['item:R1:open,item:R2:open']);

  stop();
  await q.press('claim', 'item:R1', ann);
  expect(take()).toEqual([]);
});
