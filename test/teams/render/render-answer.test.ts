import { describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../adapters/teams/render/adaptive-card-types.ts';
import { answerPlaceholder, renderAnswer, renderNotice } from '../../../adapters/teams/render/render-answer.ts';
import { emptyAnswer, pageOf, type Answer } from '../../../src/commands/answer.ts';
import { taskActions } from '../../../src/followup/task-card.ts';
import { cardViolations, runsOf } from './card-checks.ts';

function answer(rows: number, over: Partial<Answer> = {}): Answer {
  return {
    title: 'Revocations since 7d',
    matched: rows,
    summary: ['REVOKE 3 · campaign Q2 access review', 'Searched: decisions since 2024-04-25'],
    columns: ['when', 'principal'],
    rows: Array.from({ length: rows }, (_, i) => ({ line: `2024-05-02 · User ${i} · Salesforce — REVOKE by Rita`, cells: [`${i}`] })),
    ...over,
  };
}

const texts = (c: AdaptiveCard): string[] => runsOf(c).map((r) => r.text);

describe('renderAnswer', () => {
  it('renders the first of three pages with a More button carrying the command and the next page', () => {
    const card = renderAnswer(pageOf(answer(45), 0), 'revokes since 7d');
    expect(cardViolations(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: 'More (page 2 of 3)', verb: 'oig_more', data: { command: 'revokes since 7d', page: 1 } }]);
    const t = texts(card);
    expect(t[0]).toBe('ℹ️ Revocations since 7d');
    expect(t.filter((x) => x.includes(' · User '))).toHaveLength(20);
    expect(t.at(-1)).toBe('45 matched · page 1 of 3');
    expect(card.refresh).toBeUndefined();
    expect(card).toMatchSnapshot();
  });

  it('has no More button on the last page', () => {
    const card = renderAnswer(pageOf(answer(45), 2), 'revokes since 7d');
    expect(card.actions).toBeUndefined();
    expect(texts(card).at(-1)).toBe('45 matched · page 3 of 3');
    expect(texts(card).filter((x) => x.includes(' · User '))).toHaveLength(5);
  });

  it('shows the notice and an empty answer', () => {
    const card = renderAnswer(pageOf(emptyAnswer('Skipped remediations', [], 'the work queue is not available'), 0), 'skipped');
    expect(cardViolations(card)).toEqual([]);
    expect(texts(card)).toEqual(['ℹ️ Skipped remediations', '⚠️ the work queue is not available', '0 matched']);
    expect(card).toMatchSnapshot();
  });

  it('adds the user-specific refresh only when userIds are given, for the page shown', () => {
    const p = pageOf(answer(45), 1);
    expect(renderAnswer(p, 'revokes since 7d').refresh).toBeUndefined();
    const card = renderAnswer(p, 'revokes since 7d', { userIds: ['29:1asker'] });
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Show answer', verb: 'oig_answer', data: { command: 'revokes since 7d', page: 1, asker: '29:1asker' } },
      userIds: ['29:1asker'],
    });
    expect(texts(card).at(-1)).toBe('45 matched · page 2 of 3 · Only you can see this.');
    expect(card.actions![0]).toMatchObject({ data: { command: 'revokes since 7d', page: 2, asker: '29:1asker' } });
  });

  it('keeps hostile rows and summary lines inert (TextRuns, shown as written)', () => {
    const hostile = '**x** [click](https://evil) <at>Everyone</at> # H';
    const card = renderAnswer(pageOf(answer(1, { summary: [hostile], rows: [{ line: `1. ${hostile}`, cells: [] }] }), 0), 'user <at>x</at>');
    expect(cardViolations(card)).toEqual([]);
    expect(texts(card)).toContain(hostile);
    expect(texts(card)).toContain(`1. ${hostile}`);
    expect(card.body.every((e) => e.type === 'RichTextBlock')).toBe(true);
  });

  it('drops rows from the end to stay within 24,000 bytes, and says how many', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ line: `row ${i} ${'"é'.repeat(300)}`, cells: [] }));
    const p = pageOf(answer(60, { rows }), 0, 60);
    const card = renderAnswer(p, 'revokes', { userIds: ['29:1asker'] });
    expect(cardViolations(card)).toEqual([]);
    const shown = texts(card).filter((t) => t.startsWith('row '));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(60);
    expect(shown.at(-1)).toMatch(new RegExp(`^row ${shown.length - 1} `));
    const t = texts(card);
    expect(t.at(-2)).toBe(`Shortened: ${60 - shown.length} more row(s) did not fit in one Teams message.`);
    expect(t.at(-1)).toBe('60 matched · Only you can see this.');
  });
});

describe('renderAnswer: task rows (oig skipped)', () => {
  const tasks = (n: number, line = (i: number) => `${i + 1}d old · User ${i} · Salesforce · Q2 · no owner`): Answer =>
    answer(n, {
      title: 'Open manual-remediation tasks',
      summary: [],
      pageSize: 10,
      rows: Array.from({ length: n }, (_, i) => ({ line: line(i), cells: [], actions: taskActions({ id: `item:T${i}`, state: i % 2 ? 'claimed' : 'open' }) })),
    });

  it('puts each task\'s buttons under its line: the card\'s verbs, the task id, and the answer to show after the press', () => {
    const card = renderAnswer(pageOf(tasks(12), 0), 'skipped', { userIds: ['29:1asker'] });
    expect(cardViolations(card)).toEqual([]);
    const rows = card.body.filter((e) => e.type === 'Container');
    expect(rows).toHaveLength(10);
    const [first, second] = rows;
    expect(first).toMatchObject({ type: 'Container', items: [{ type: 'RichTextBlock', inlines: [{ text: '1d old · User 0 · Salesforce · Q2 · no owner' }] }, { type: 'ActionSet' }] });
    const actionsOf = (c: typeof first) => (c?.type === 'Container' && c.items[1]?.type === 'ActionSet' ? c.items[1].actions : []);
    expect(actionsOf(first).map((a) => ('verb' in a ? a.verb : a.type))).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
    expect(actionsOf(second).map((a) => ('verb' in a ? a.verb : a.type))).toEqual(['oig_manual_done', 'oig_manual_verify', 'oig_manual_reopen']);
    expect(actionsOf(first)[0]).toEqual({
      type: 'Action.Execute', title: 'Claim', verb: 'oig_manual_claim', style: 'positive',
      data: { taskId: 'item:T0', answer: { command: 'skipped', page: 0, asker: '29:1asker' } },
    });
    // "More" stays the card's own action
    expect(card.actions).toEqual([expect.objectContaining({ verb: 'oig_more', data: { command: 'skipped', page: 1, asker: '29:1asker' } })]);
    expect(texts(card).at(-1)).toBe('12 matched · page 1 of 2 · Only you can see this.');
    expect(renderAnswer(pageOf(tasks(2), 0), 'skipped')).toMatchSnapshot();
  });

  it('drops whole task rows, never a line without its buttons, to stay within 24,000 bytes', () => {
    const p = pageOf(tasks(40, (i) => `task ${i} ${'"é'.repeat(240)}`), 0, 40);
    const card = renderAnswer(p, 'skipped', { userIds: ['29:1asker'] });
    expect(cardViolations(card)).toEqual([]);
    const rows = card.body.filter((e) => e.type === 'Container');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(40);
    expect(rows.every((r) => r.type === 'Container' && r.items.map((e) => e.type).join() === 'RichTextBlock,ActionSet')).toBe(true);
    expect(texts(card).at(-2)).toBe(`Shortened: ${40 - rows.length} more row(s) did not fit in one Teams message.`);
  });
});

describe('answerPlaceholder', () => {
  it('tells everyone else whose answer it is, inertly, with the refresh for the asker', () => {
    const card = answerPlaceholder('Eve **Admin** <at>All</at>', 'revokes [x](https://evil)', ['29:1asker']);
    expect(cardViolations(card)).toEqual([]);
    expect(card.body).toHaveLength(1);
    expect(runsOf(card).map((r) => r.text).join('')).toBe(
      'Answer to revokes [x](https://evil) for Eve **Admin** <at>All</at>: only they can see it. Mention the bot with the same words to see your own.',
    );
    expect(runsOf(card)[1]).toMatchObject({ fontType: 'Monospace' });
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Show answer', verb: 'oig_answer', data: { command: 'revokes [x](https://evil)', page: 0, asker: '29:1asker' } },
      userIds: ['29:1asker'],
    });
    expect(card.actions).toBeUndefined();
    expect(card).toMatchSnapshot();
  });
});

describe('renderNotice', () => {
  it('is one message, with an optional Mark done button carrying the task id', () => {
    const plain = renderNotice('Unknown command "frob". Try: help');
    expect(plain.body).toEqual([{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Unknown command "frob". Try: help' }], spacing: 'None' }]);
    expect(plain.actions).toBeUndefined();
    const verify = renderNotice('Okta still lists Alice Example in Finance.\nRemove the membership by hand.', [
      { id: 'oig_manual_done', label: 'Mark done', value: 'item:ITEM1', style: 'primary' },
    ]);
    expect(cardViolations(verify)).toEqual([]);
    expect(texts(verify)).toEqual(['Okta still lists Alice Example in Finance.', 'Remove the membership by hand.']);
    expect(verify.actions).toEqual([{ type: 'Action.Execute', title: 'Mark done', verb: 'oig_manual_done', data: { taskId: 'item:ITEM1' }, style: 'positive' }]);
    expect(verify).toMatchSnapshot();
  });

  it('never renders an empty card', () => {
    expect(texts(renderNotice(''))).toEqual([' ']);
  });
});
