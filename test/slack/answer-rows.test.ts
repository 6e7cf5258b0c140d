/**
 * The rows of an `/oig` answer that carry buttons (the tasks of `/oig skipped`), as Block Kit: within
 * Slack's limits whatever the page holds, and with block ids that name the answer for the press handler.
 */
import { describe, expect, it } from 'vitest';
import { decodeAnswerRow, encodeAnswerRow } from '../../adapters/slack/commands/answer-row.ts';
import { renderPage } from '../../adapters/slack/commands/oig-command.ts';
import { pageOf, type Answer } from '../../src/commands/answer.ts';
import { taskActions } from '../../src/followup/task-card.ts';

function tasks(n: number, over: Partial<Answer> = {}): Answer {
  return {
    title: 'Open manual-remediation tasks',
    matched: n,
    summary: [],
    columns: ['task'],
    rows: Array.from({ length: n }, (_, i) => ({ line: `${i}d old · <!channel> User ${i}`, cells: [`item:T${i}`], actions: taskActions({ id: `item:T${i}`, state: 'open' }) })),
    pageSize: 10,
    ...over,
  };
}

describe('renderPage with task rows', () => {
  it('gives each task a section and an actions block whose id names the answer and page', () => {
    const reply = renderPage(pageOf(tasks(12), 1), 'skipped');
    expect(reply.blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'section', 'actions', 'context']);
    const rows = reply.blocks.filter((b) => b.type === 'actions');
    expect(rows.map((b) => decodeAnswerRow(b.block_id))).toEqual([{ text: 'skipped', page: 1 }, { text: 'skipped', page: 1 }]);
    expect(new Set(rows.map((b) => b.block_id)).size).toBe(2);
    // a row quotes Okta data: plain_text, shown as written (no mention can fire)
    expect(reply.blocks[1]).toMatchObject({ type: 'section', text: { type: 'plain_text', text: '10d old · <!channel> User 10' } });
    expect(reply.blocks).toMatchSnapshot();
  });

  it('stays within 50 blocks, keeping the count and "More", when a page holds more than fits with buttons', () => {
    const summary = Array.from({ length: 12 }, (_, i) => `${'x'.repeat(2900)} ${i}`);
    const reply = renderPage(pageOf(tasks(60, { summary, pageSize: 30 }), 0), 'skipped');
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(reply.blocks.at(-2)?.type).toBe('context');
    expect(JSON.stringify(reply.blocks.at(-1))).toContain('oig_more');
    const withButtons = reply.blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('oig_row:')).length;
    expect(withButtons).toBeGreaterThan(5);
    expect(withButtons).toBeLessThan(30);
    // the rows that did not fit with their buttons are still listed
    expect(JSON.stringify(reply.blocks)).toContain('User 29');
  });

  it('plain answers are rendered as before: lines packed into sections', () => {
    const plain = tasks(3, { rows: tasks(3).rows.map(({ line, cells }) => ({ line, cells })) });
    expect(renderPage(pageOf(plain, 0), 'revokes').blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });
});

describe('answer row block ids', () => {
  it('round-trip, and are left off when the words would pass 255 characters', () => {
    expect(decodeAnswerRow(encodeAnswerRow('skipped', 3, 7))).toEqual({ text: 'skipped', page: 3 });
    expect(encodeAnswerRow('x'.repeat(300), 0, 0)).toBeUndefined();
    expect(encodeAnswerRow('x'.repeat(200), 0, 0)!.length).toBeLessThanOrEqual(255);
  });

  it('refuse anything else: a task card block, a forgery, bad pages', () => {
    for (const id of [undefined, '', 'actions', 'oig_row:', 'oig_row:{', 'oig_row:[]', 'oig_row:{"t":1,"p":0}', 'oig_row:{"t":"x","p":-1}', 'oig_row:{"t":"x","p":1.5}']) {
      expect(decodeAnswerRow(id)).toBeUndefined();
    }
  });
});
