import { FileStateStore } from '../../src/store/file-state-store.ts';
/** The queue's storage rules, below the chat adapters: retention, the bounded audit trail, out-of-order events. */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Card } from '../../src/cards/card.ts';
import { AuditFile } from '../../src/followup/audit-file.ts';
import { WorkQueue } from '../../src/followup/work-queue.ts';
import { remediation, skipped } from '../helpers/records.ts';
import { makeDataDir } from '../helpers/start-bot.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function queue(now: number, dataDir?: string): Promise<{ q: WorkQueue; cards: Card[]; dataDir: string }> {
  const dir = dataDir ?? (await makeDataDir());
  dirs.push(dir);
  const cards: Card[] = [];
  const q = await WorkQueue.open({ state: new FileStateStore(dir), allowedUsers: ['u0ann'], publish: (c) => cards.push(...c), now: () => now, log: pino({ level: 'silent' }) });
  return { q, cards, dataDir: dir };
}

const ann = { id: 'U0ANN', via: 'slack' as const };

describe('work queue storage', () => {
  it('opens one task per item for SKIPPED, FAILURE, ERROR and MANUAL, and none for a success', async () => {
    const { q } = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await q.onStored([
      skipped({ item: 'A' }),
      skipped({ item: 'A', id: 'again' }),
      remediation({ item: 'B', outcome: 'FAILURE', status: 'ERROR' }),
      remediation({ item: 'C', outcome: 'SUCCESS', status: 'MANUAL' }),
      remediation({ item: 'D' }),
    ]);
    expect(q.openTasks().map((t) => t.id).sort()).toEqual(['item:A', 'item:B', 'item:C']);
    expect(q.get('item:A')?.openedBy).toBe('rem-A');
  });

  it('reconciles stored remediations: a SKIPPED without a task gets one, unless a later success closed it', async () => {
    const { q, cards, dataDir } = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await q.onStored([skipped({ item: 'KNOWN' })]);
    await q.press('claim', 'item:KNOWN', ann);
    const stored = [
      skipped({ item: 'KNOWN', id: 'known-again' }),
      skipped({ item: 'LOST', at: '2024-05-01T10:00:00.000Z' }),
      skipped({ item: 'LOST', id: 'lost-again', at: '2024-05-01T11:00:00.000Z' }),
      skipped({ item: 'FIXED', at: '2024-05-01T10:00:00.000Z' }),
      remediation({ item: 'FIXED', id: 'fixed-later', at: '2024-05-02T10:00:00.000Z' }),
    ];
    cards.length = 0;
    expect(await q.reconcile(stored)).toBe(1);
    expect(q.openTasks().map((t) => [t.id, t.state])).toEqual([['item:LOST', 'open'], ['item:KNOWN', 'claimed']]);
    expect(q.get('item:LOST')?.openedBy).toBe('rem-LOST');
    expect(cards).toEqual([]); // old, maybe: listed in /oig skipped with buttons, not posted
    expect(await q.reconcile(stored)).toBe(0);
    // and on disk
    const again = await queue(Date.parse('2024-05-03T00:00:00Z'), dataDir);
    expect(again.q.get('item:LOST')?.state).toBe('open');
  });

  it('leaves a task as it stands when its SKIPPED is repeated, and its card shows that state', async () => {
    const { q, cards } = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await q.onStored([skipped({ item: 'A' })]);
    await q.press('claim', 'item:A', ann);
    cards.length = 0;
    await q.onStored([skipped({ item: 'A', id: 'repeat-while-claimed' })]);
    // routing asks the queue for the task's card (card-dispatcher.ts): it says claimed, not open
    expect(cards).toHaveLength(0);
    expect(q.get('item:A')?.state).toBe('claimed');
    expect(q.card('item:A')).toMatchObject({ key: 'manual:A' });
    expect(JSON.stringify(q.card('item:A'))).toContain('Claimed');
  });

  it('does not let an older SUCCESS delivered late close a newer skip', async () => {
    const { q, cards } = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await q.onStored([skipped({ item: 'A', at: '2024-05-02T10:00:00.000Z' })]);
    await q.onStored([remediation({ item: 'A', id: 'old', at: '2024-05-01T10:00:00.000Z' })]);
    expect(q.get('item:A')?.state).toBe('open');
    expect(cards).toHaveLength(0);
  });

  it('never drops an open task; forgets done tasks after the retention', async () => {
    const first = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await first.q.onStored([skipped({ item: 'OPEN' }), skipped({ item: 'DONE' })]);
    await first.q.press('done', 'item:DONE', ann);
    const later = await queue(Date.parse('2025-07-01T00:00:00Z'), first.dataDir);
    expect(later.q.get('item:OPEN')?.state).toBe('open');
    expect(later.q.get('item:DONE')).toBeUndefined();
  });

  it('applies simultaneous presses one after another: two claims, one winner', async () => {
    const { q, cards } = await queue(Date.parse('2024-05-03T00:00:00Z'));
    await q.onStored([skipped({ item: 'A' })]);
    const results = await Promise.all([q.press('claim', 'item:A', ann), q.press('claim', 'item:A', ann), q.press('done', 'item:A', ann)]);
    expect(results.map((r) => r.result)).toEqual(['ok', 'invalid_state', 'ok']);
    expect(cards.map((c) => c.facts.find((f) => f.label === 'Task')?.value)).toEqual([expect.stringMatching(/^Claimed/), expect.stringMatching(/^Done/)]);
    expect(q.audit('item:A').map((a) => a.action)).toEqual(['done', 'claim', 'claim']);
  });

  it('keeps the audit trail bounded, newest first', async () => {
    const dir = await makeDataDir();
    dirs.push(dir);
    const trail = await AuditFile.open(new FileStateStore(dir), 3);
    for (let i = 0; i < 5; i++) await trail.append({ at: `2024-05-0${i + 1}T00:00:00.000Z`, taskId: `t${i}`, action: 'claim', actor: ann, result: 'ok' });
    expect(trail.list().map((e) => e.taskId)).toEqual(['t4', 't3', 't2']);
    expect((await AuditFile.open(new FileStateStore(dir), 3)).list('t3')).toHaveLength(1);
  });
});
