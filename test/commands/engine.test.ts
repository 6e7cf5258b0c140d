import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageOf } from '../../src/commands/answer.ts';
import type { CommandDeps } from '../../src/commands/deps.ts';
import { runQuery } from '../../src/commands/engine.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import type { LowdbEventStore } from '../../src/store/lowdb-event-store.ts';
import { decision } from '../helpers/records.ts';
import { toCsv } from '../../src/commands/csv.ts';
import { AUDITS, fixtureStore, NOW, TASKS, task, taskSource } from './fixture-store.ts';

let store: LowdbEventStore;
let close: () => Promise<void>;
let deps: CommandDeps;

beforeAll(async () => {
  ({ store, close } = await fixtureStore());
  deps = {
    store,
    tasks: taskSource(TASKS, AUDITS),
    stats: {
      pollers: () => [{ name: 'ASA audit poller', lastRunAt: '2026-11-21T11:55:00.000Z', result: 'ok, 3 stored' }],
      delivery: () => ({ outbox: 2, errors: ['not_in_channel in C0X: invite the bot'] }),
    },
    now: () => NOW,
  };
});
afterAll(() => close());

const run = (text: string, d: CommandDeps = deps) => runQuery(parseCommand(text).query, d);
const lines = (text: string) => run(text).rows.map((r) => r.line);

describe('revokes', () => {
  it('lists every REVOKE decision, newest first, and says how many', () => {
    const a = run('revokes');
    expect(a.matched).toBe(3);
    expect(a.rows.map((r) => r.cells[1])).toEqual(['Carol Danvers', 'Bob Builder', 'Alice Example']);
  });
  it('since 7d leaves older ones out', () => {
    expect(run('revokes since 7d').rows.map((r) => r.cells[1])).toEqual(['Carol Danvers', 'Bob Builder']);
  });
  it('since a date', () => {
    expect(run('revokes since 2026-11-18').matched).toBe(2);
    expect(run('revokes since 2026-11-20').matched).toBe(1);
  });
  it('of one campaign, matched by a prefix of its name, case-insensitive', () => {
    const a = run('revokes campaign q3 FIN');
    expect(a.rows.map((r) => r.cells[1])).toEqual(['Carol Danvers']);
  });
  it('each row carries the decision event uuid', () => {
    const a = run('revokes');
    expect(a.columns.at(-1)).toBe('event id');
    expect(a.rows.map((r) => r.cells.at(-1))).toEqual(['d4', 'd2', 'd1']);
  });
  it('of a campaign nobody knows says so', () => {
    expect(run('revokes campaign Nope').notice).toMatch(/No campaign matches “Nope”/);
  });
  it('"did you mean" when several campaigns match', () => {
    const a = run('revokes campaign q');
    expect(a.matched).toBe(0);
    expect(a.notice).toMatch(/did you mean/);
    expect(a.notice).toContain('q2 access review');
    expect(a.notice).toContain('q3 finance review');
  });
});

describe('skipped', () => {
  it('lists open tasks, oldest first, with owner and last actor', () => {
    const a = run('skipped');
    expect(a.matched).toBe(2);
    expect(a.rows[0]!.line).toMatch(/^3d old · Bob Builder · Salesforce · Q2 access review · no owner/);
    expect(a.rows[1]!.line).toContain('owner Rita');
    expect(a.rows[1]!.line).toContain('last: claim by Rita');
  });
  it('each row carries the buttons its task card shows (claimed: done, verify, reopen); CSV leaves them out', () => {
    const claimed = task({ id: 'item:I9', item: 'I9', openedAt: NOW.toISOString(), state: 'claimed', owner: { id: 'U0RITA', name: 'Rita', via: 'slack' } });
    const a = run('skipped', { ...deps, tasks: taskSource([...TASKS, claimed]) });
    expect(a.rows.map((r) => r.actions?.map((b) => `${b.id}=${b.value}`))).toEqual([
      ['oig_manual_claim=item:I2', 'oig_manual_done=item:I2', 'oig_manual_verify=item:I2'],
      ['oig_manual_claim=item:I4', 'oig_manual_done=item:I4', 'oig_manual_verify=item:I4'],
      ['oig_manual_done=item:I9', 'oig_manual_verify=item:I9', 'oig_manual_reopen=item:I9'],
    ]);
    expect(a.rows[0]!.actions![0]).toEqual({ id: 'oig_manual_claim', label: 'Claim', value: 'item:I2', style: 'primary' });
    expect(toCsv(a)).not.toContain('oig_manual');
    expect(toCsv(a).split('\r\n')[1]).toMatch(/^item:I2,open,/);
  });
  it('each task carries the id of the remediation event that opened it', () => {
    const a = run('skipped');
    expect(a.columns.at(-1)).toBe('event id');
    expect(a.rows.map((r) => r.cells.at(-1))).toEqual(['r2', 'r2']);
    expect(run('campaign Q2 access review').rows[0]!.cells.at(-1)).toBe('r2');
  });
  it('pages ten tasks at a time (rows with buttons take more room in a chat message)', () => {
    const many = Array.from({ length: 23 }, (_, i) => task({ id: `item:P${i}`, item: `P${i}` }));
    const a = run('skipped', { ...deps, tasks: taskSource(many) });
    expect(pageOf(a, 0).rows).toHaveLength(10);
    expect(pageOf(a, 2)).toMatchObject({ page: 2, pages: 3 });
    expect(pageOf(a, 2).rows).toHaveLength(3);
    // other answers keep twenty per page, and the campaign's task rows have no buttons
    expect(run('campaign Q2 access review').rows.every((r) => r.actions === undefined)).toBe(true);
  });
  it('without a work queue says it is not available', () => {
    const a = run('skipped', { store });
    expect(a.matched).toBe(0);
    expect(a.notice).toMatch(/work queue is not available/);
  });
});

describe('campaign', () => {
  it('totals by decision and remediation outcome, and its open tasks', () => {
    const a = run('campaign Q2 access review');
    expect(a.matched).toBe(3);
    expect(a.summary).toContain('Decisions: REVOKE 2, APPROVE 1');
    expect(a.summary).toContain('Remediations: SUCCESS 1, SKIPPED 1');
    expect(a.summary).toContain('Open tasks: 1');
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]!.cells[0]).toBe('item:I2');
  });
  it('by id', () => {
    expect(run('campaign ICICMP3').summary[0]).toMatch(/^Q3 finance review \(icicmp3\): 1 items/);
  });
  it('by a word inside the name', () => {
    expect(run('campaign finance').title).toBe('Campaign Q3 finance review');
  });
});

describe('user', () => {
  it('is a timeline across decisions, remediations, requests, reviews and ASA, newest first', () => {
    const a = run('user Alice Ex');
    const kinds = a.rows.map((r) => r.cells[1]);
    expect(kinds).toEqual(['access_request', 'access_review', 'remediation', 'decision']);
    expect(a.matched).toBe(4);
  });
  it('an exact key wins over prefixes: "alice" is the ASA user of that name', () => {
    expect(run('user alice').rows.map((r) => r.cells[1])).toEqual(['asa']);
  });
  it('by login, by id, by full name', () => {
    expect(run('user bob@example.com').matched).toBe(4);
    expect(run('user 00u2bob').matched).toBe(4);
    expect(run('user BOB BUILDER').matched).toBe(4);
  });
  it('nobody', () => {
    expect(run('user zed').notice).toMatch(/Nobody matches/);
  });
});

describe('resource', () => {
  it('who was reviewed for it and what happened', () => {
    const a = run('resource sales');
    expect(a.summary[0]).toBe('Decisions: REVOKE 2, APPROVE 1, KEEP 1');
    const bob = a.rows.find((r) => r.cells[1] === 'Bob Builder')!;
    expect(bob.cells[4]).toBe('REVOKE');
    expect(bob.cells[5]).toBe('SKIPPED / MANUAL');
    expect(a.matched).toBe(4);
  });
  it('names the decision and remediation events of each row', () => {
    const a = run('resource sales');
    expect(a.columns.slice(-2)).toEqual(['decision event id', 'remediation event id']);
    const byPerson = Object.fromEntries(a.rows.map((r) => [r.cells[1], r.cells.slice(-2)]));
    expect(byPerson['Bob Builder']).toEqual(['d2', 'r2']);
    expect(byPerson['Carol Danvers']).toEqual(['d3', '']);
  });
});

describe('requests', () => {
  it('one line per request, in its current state', () => {
    const a = run('requests');
    expect(a.matched).toBe(2);
    expect(a.rows.map((r) => [r.cells[0], r.cells[1]])).toEqual([['REQ2', 'create'], ['REQ1', 'resolve']]);
  });
  it('each request carries the uuid of the event that set its state', () => {
    expect(run('requests').rows.map((r) => [r.cells[0], r.cells.at(-1)])).toEqual([['REQ2', 'q2c'], ['REQ1', 'q1r']]);
  });
  it('open leaves the finished ones out', () => {
    expect(run('requests open').rows.map((r) => r.cells[0])).toEqual(['REQ2']);
  });
});

describe('asa', () => {
  it('recent events, newest first', () => {
    expect(run('asa').rows.map((r) => r.cells[1])).toEqual(['server.enroll', 'user.login']);
  });
  it('of a user or of a server', () => {
    expect(run('asa alice').rows.map((r) => r.cells[1])).toEqual(['user.login']);
    expect(run('asa db').rows.map((r) => r.cells[1])).toEqual(['server.enroll']);
  });
  it('since a period; each row with its origin and the id ASA gave it', () => {
    const a = run('asa since 23h');
    expect(a.title).toBe('ASA/OPA events since 23h');
    expect(a.rows.map((r) => r.cells.slice(-2))).toEqual([['ASA', '2']]);
    expect(run('asa since 2d').rows.map((r) => r.cells.at(-1))).toEqual(['2', '1']);
    expect(run('asa alice since 23h').matched).toBe(0);
  });
});

describe('stats', () => {
  it('counts per family, last event, pollers, outbox and delivery errors', () => {
    const a = run('stats');
    expect(a.matched).toBe(16);
    expect(a.rows.map((r) => r.line)).toEqual(expect.arrayContaining(['certification: 9', 'access_request: 3', 'asa: 2', 'access_review: 1', 'system: 1', 'outbox: 2 waiting']));
    expect(lines('stats').join('\n')).toContain('ASA audit poller: last run 2026-11-21 11:55 UTC (ok, 3 stored)');
    expect(lines('stats').join('\n')).toContain('error: not_in_channel in C0X');
    expect(a.summary[1]).toMatch(/^Last event received: \d{4}-/);
  });
});

describe('help and paging', () => {
  it('unknown words answer with the help', () => {
    const a = run('frobnicate');
    expect(a.summary[0]).toContain('“frobnicate” is not an oig command');
    expect(a.rows).toHaveLength(10);
  });
  it('says how since is read and that asa and export cover OPA, a period and event ids', () => {
    const a = run('help');
    expect(a.summary[1]).toMatch(/2026-11-01T08:00 are UTC; add an offset/);
    const usage = Object.fromEntries(a.rows.map((r) => [r.cells[0]!.split(' ')[1], r.cells[1]]));
    expect(a.rows.map((r) => r.cells[0])).toContain('/oig asa [user or server] [since <7d or date>]');
    expect(usage.asa).toContain('Okta Privileged Access');
    expect(usage.export).toContain('event id');
    // every example in the help parses to what it shows
    for (const r of a.rows) expect(parseCommand(r.cells[2]!.replace(/^\/oig /, '')).query.kind).not.toBe('invalid');
  });
  it('a bad since answers with its message and the help', () => {
    expect(run('revokes since soon').notice).toMatch(/is not a period I understand/);
  });
  it('pages keep every row once, and the cursor stops at the end', async () => {
    const many = Array.from({ length: 45 }, (_, i) => decision({ id: `many-${i}`, item: `M${i}`, at: new Date(NOW.getTime() - i * 60_000).toISOString(), campaign: { id: 'big', name: 'Big one' } }));
    const filled = await fixtureStore(many);
    try {
      const answer = runQuery(parseCommand('revokes campaign big one').query, { store: filled.store });
      const pages = [0, 1, 2].map((n) => pageOf(answer, n));
      expect(pages.map((p) => p.rows.length)).toEqual([20, 20, 5]);
      expect(pages.map((p) => p.next)).toEqual([1, 2, undefined]);
      expect(new Set(pages.flatMap((p) => p.rows.map((r) => r.cells[7]))).size).toBe(45);
      expect(pageOf(answer, 99).page).toBe(2);
    } finally {
      await filled.close();
    }
  });
});
