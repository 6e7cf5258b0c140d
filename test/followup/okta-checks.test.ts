import { FileStateStore } from '../../src/store/file-state-store.ts';
/**
 * The background checks in Okta below the chat adapters: the real work queue and its task file, the real
 * OktaApi over HttpClient against the fake Okta, and a clock the test moves. A new task is diagnosed and
 * its card edited in place; "could not tell" is retried; a done task is checked again after each
 * VERIFY_AFTER delay and reopened, with a reply in its card's thread, when the access is back.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import type { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { WorkQueue } from '../../src/followup/work-queue.ts';
import { createHttpAgent } from '../../src/http-client/agent.ts';
import { HttpClient } from '../../src/http-client/http-client.ts';
import { OktaApi } from '../../src/okta/okta-api.ts';
import { oktaConnection } from '../../src/okta/okta-auth.ts';
import { OktaReader } from '../../src/okta/okta-reader.ts';
import { FakeOkta } from '../helpers/fake-okta.ts';
import { alice, financeGroup, remediation, skipped } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ann = { id: 'U0ANN', name: 'Ann', via: 'slack' as const };

let okta: FakeOkta;
let agent: Agent;
let clock: number;
const dirs: string[] = [];
const queues: WorkQueue[] = [];

beforeEach(async () => {
  okta = await FakeOkta.start();
  agent = createHttpAgent({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
  clock = Date.parse('2026-11-01T10:00:00.000Z');
});
afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop();
  await agent.destroy();
  await okta.close();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(dataDir?: string): Promise<{ q: WorkQueue; cards: Card[]; publishes: Card[][]; dataDir: string }> {
  const dir = dataDir ?? (await makeDataDir());
  if (!dataDir) dirs.push(dir);
  const cards: Card[] = [];
  const publishes: Card[][] = [];
  const http = new HttpClient({ dispatcher: agent, maxAttempts: 1, log: pino({ level: 'silent' }) });
  const api = new OktaApi(new OktaReader(oktaConnection({ orgUrl: okta.url, apiToken: okta.token }), http), { now: () => clock });
  const q = await WorkQueue.open({
    state: new FileStateStore(dir), allowedUsers: ['u0ann'], publish: (c) => {
      cards.push(...c);
      publishes.push(c);
    }, okta: api, verifyAfterMs: [DAY, 7 * DAY],
    now: () => clock, log: pino({ level: 'silent' }),
  });
  queues.push(q);
  return { q, cards, publishes, dataDir: dir };
}

const noteText = (c: Card | undefined) => (c?.notes ?? []).join('\n');
const GROUP_TASK = skipped({ item: 'G', resource: financeGroup, at: '2026-11-01T09:00:00.000Z' });

function inFinanceByRule(): void {
  okta.addGroup(financeGroup.id!, 'Finance');
  okta.addMember(alice.id!, financeGroup.id!);
  okta.addRule('0prFin', 'Finance by department', [financeGroup.id!], 'ACTIVE', 'user.department == "Finance"');
}

describe('diagnosis when a task opens', () => {
  it('finds why Okta skipped it and edits the task card in place (never posts a new one)', async () => {
    inFinanceByRule();
    const { q, cards } = await open();
    await q.onStored([GROUP_TASK]);
    await q.checks!.runDue();
    const edit = cards.at(-1)!;
    expect(edit).toMatchObject({ key: 'manual:G', updateOnly: true });
    expect(noteText(edit)).toContain('Why Okta skipped it (checked in Okta 2026-11-01 10:00');
    expect(noteText(edit)).toContain('the group rule "Finance by department" (0prFin, expression user.department == "Finance")');
    // links are CardLinks (the renderers make them real links), never URLs inside the untrusted text
    expect(noteText(edit)).not.toContain('http');
    expect(edit.links).toEqual([
      { label: 'Group rules in the Okta Admin Console (Directory › Groups › Rules)', url: `${okta.url}/admin/groups#rules` },
      { label: 'Group Finance in the Okta Admin Console', url: `${okta.url}/admin/group/${financeGroup.id}` },
      { label: 'Alice Example in the Okta Admin Console', url: `${okta.url}/admin/user/profile/view/${alice.id}` },
    ]);
    expect(noteText(edit)).toContain('Next step: Edit the group rule "Finance by department"');
    expect(noteText(edit)).not.toContain('Likely cause');
    // what the dispatcher asks for when it builds the first card shows it too
    expect(noteText(q.card('item:G'))).toContain('Why Okta skipped it');
    expect(q.get('item:G')?.state).toBe('open');
  });

  it('a campaign\'s many skipped items are diagnosed in a few writes, the rules read once', async () => {
    inFinanceByRule();
    const { q, cards, publishes } = await open();
    await q.onStored(Array.from({ length: 30 }, (_, i) => skipped({ item: `C${i}`, resource: financeGroup, at: '2026-11-01T09:00:00.000Z' })));
    await q.checks!.runDue();
    expect(new Set(cards.map((c) => c.key))).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `manual:C${i}`)));
    expect(publishes.length).toBeLessThanOrEqual(3);
    expect(okta.apiRequests.filter((p) => p === '/api/v1/groups/rules')).toHaveLength(1);
  });

  it('could not tell (Okta down): nothing shown, tried again later, then found', async () => {
    inFinanceByRule();
    okta.directoryDown = 503;
    const { q, cards } = await open();
    await q.onStored([GROUP_TASK]);
    await q.checks!.runDue();
    expect(cards).toEqual([]);
    expect(noteText(q.card('item:G'))).toContain('Likely cause');
    const asked = okta.apiRequests.length;
    await q.checks!.runDue();
    expect(okta.apiRequests.length).toBe(asked); // not before the retry time
    okta.directoryDown = undefined;
    clock += 2 * 60_000;
    await q.checks!.runDue();
    expect(noteText(cards.at(-1))).toContain('Finance by department');
  });

  it('a diagnosis pending at a restart is done at the next start, whatever its retry time', async () => {
    inFinanceByRule();
    okta.directoryDown = 503;
    const first = await open();
    await first.q.onStored([GROUP_TASK]);
    await first.q.checks!.runDue();
    await first.q.stop();
    okta.directoryDown = undefined;
    const again = await open(first.dataDir);
    await again.q.checks!.runDue();
    expect(noteText(again.cards.at(-1))).toContain('Finance by department');
  });

  it('tasks reconciled at start are diagnosed too, but their cards are only edited, never posted', async () => {
    inFinanceByRule();
    const { q, cards } = await open();
    expect(await q.reconcile([GROUP_TASK])).toBe(1);
    await q.checks!.runDue();
    expect(q.card('item:G')?.notes?.join('\n')).toContain('Why Okta skipped it');
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.every((c) => c.updateOnly === true)).toBe(true);
  });

  it('Verify that cannot tell (a timeout on page 2) changes nothing and says why', async () => {
    okta.addGroup(financeGroup.id!, 'Finance');
    for (let i = 0; i < 250; i++) okta.addMember(alice.id!, `00gX${i}`);
    const { q, cards } = await open();
    await q.onStored([GROUP_TASK]);
    okta.stall = (url) => url.searchParams.has('after');
    const out = await q.press('verify', 'item:G', ann);
    expect(out.result).toBe('error');
    expect(out.message).toContain('Could not tell whether Alice Example still has Finance');
    expect(out.offerDone).toBeUndefined();
    expect(q.get('item:G')?.state).toBe('open');
    expect(cards.filter((c) => c.threadKey)).toEqual([]);
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'verify', result: 'error' });
  });
});

describe('drift after a task is done', () => {
  it('checks again after 24 h (gone: recorded) and after 7 d (back: reopened, with a reply in the card thread)', async () => {
    okta.addGroup(financeGroup.id!, 'Finance');
    const { q, cards } = await open();
    await q.onStored([GROUP_TASK]);
    await q.checks!.runDue();
    await q.press('done', 'item:G', ann);
    const doneAt = clock;

    clock = doneAt + DAY - 60_000;
    await q.checks!.runDue();
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'done' });

    clock = doneAt + DAY + 1;
    await q.checks!.runDue();
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'verify', actor: { via: 'bot' }, result: 'ok', detail: 'drift check: still gone' });
    expect(q.get('item:G')?.state).toBe('done');

    // a rule put Alice back in the group
    inFinanceByRule();
    clock = doneAt + 7 * DAY + 1;
    cards.length = 0;
    await q.checks!.runDue();
    const t = q.get('item:G')!;
    expect(t.state).toBe('open');
    expect(t.owner).toBeUndefined();
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'reopen', actor: { id: 'oig-chatops', via: 'bot' }, result: 'ok', detail: 'Access came back: Alice Example is in Finance again.' });
    const reply = cards.find((c) => c.threadKey === 'manual:G')!;
    expect(reply.title).toBe('Access came back: task reopened');
    expect(noteText(reply)).toContain('Access came back: Alice Example is in Finance again.');
    expect(noteText(reply)).toContain('Why: the group rule "Finance by department"');
    expect(reply.actions?.map((a) => a.id)).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(reply.links?.[0]?.url).toBe(`${okta.url}/admin/groups#rules`);
    const edit = cards.find((c) => c.key === 'manual:G')!;
    expect(edit.facts.find((f) => f.label === 'Task')?.value).toBe('Open');
    // no more checks are owed
    await q.checks!.runDue();
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'reopen' });
  });

  it('a task closed by a later SUCCESS is checked from when Okta succeeded', async () => {
    const { q, cards } = await open();
    await q.onStored([GROUP_TASK]);
    await q.onStored([remediation({ item: 'G', id: 'ok-later', resource: financeGroup, at: '2026-11-01T09:30:00.000Z' })]);
    expect(q.get('item:G')).toMatchObject({ state: 'done', closedByOkta: true });
    inFinanceByRule();
    clock = Date.parse('2026-11-02T09:30:01.000Z');
    cards.length = 0;
    await q.checks!.runDue();
    expect(q.get('item:G')?.state).toBe('open');
    expect(cards.some((c) => c.threadKey === 'manual:G')).toBe(true);
  });

  it('could not tell: retried later, never reopened or marked', async () => {
    inFinanceByRule();
    const { q } = await open();
    await q.onStored([GROUP_TASK]);
    await q.press('done', 'item:G', ann);
    okta.directoryDown = 500;
    clock += DAY + 1;
    await q.checks!.runDue();
    expect(q.get('item:G')?.state).toBe('done');
    expect(q.audit('item:G')[0]).toMatchObject({ action: 'verify', result: 'error', detail: expect.stringContaining('drift check could not tell') });
    okta.directoryDown = undefined;
    clock += 2 * 60_000;
    await q.checks!.runDue();
    expect(q.get('item:G')?.state).toBe('open');
  });

  it('a task reopened by a person stops its checks; done again starts over', async () => {
    inFinanceByRule();
    const { q } = await open();
    await q.onStored([GROUP_TASK]);
    await q.press('done', 'item:G', ann);
    await q.press('reopen', 'item:G', ann);
    clock += 8 * DAY;
    const asked = okta.apiRequests.length;
    await q.checks!.runDue();
    // the diagnosis of the open task may run, but no drift check reopens anything
    expect(q.audit('item:G').map((a) => a.action)).toEqual(['reopen', 'done']);
    await q.press('done', 'item:G', ann);
    const doneAgain = clock;
    clock = doneAgain + DAY - 1;
    await q.checks!.runDue();
    expect(q.get('item:G')?.state).toBe('done');
    clock = doneAgain + DAY + 1;
    await q.checks!.runDue();
    expect(q.get('item:G')?.state).toBe('open');
    expect(okta.apiRequests.length).toBeGreaterThan(asked);
  });

  it('owed checks survive a restart (they come from the task file)', async () => {
    inFinanceByRule();
    const first = await open();
    await first.q.onStored([GROUP_TASK]);
    await first.q.press('done', 'item:G', ann);
    await first.q.stop();
    clock += DAY + 1;
    const again = await open(first.dataDir);
    await again.q.checks!.runDue();
    expect(again.q.get('item:G')?.state).toBe('open');
    expect(again.cards.some((c) => c.threadKey === 'manual:G')).toBe(true);
  });
});
