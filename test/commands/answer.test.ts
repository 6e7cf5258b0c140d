import { describe, expect, it } from 'vitest';
import { lazyRows, lazyRowsAt, matchedLine, pageOf } from '../../src/commands/answer.ts';

describe('lazyRows', () => {
  it('formats only the rows read, and behaves as an array', () => {
    const formatted: number[] = [];
    const rows = lazyRows([1, 2, 3, 4, 5], (n) => {
      formatted.push(n);
      return { line: `n${n}`, cells: [String(n)] };
    });
    expect(rows.length).toBe(5);
    expect(rows.slice(1, 3).map((r) => r.line)).toEqual(['n2', 'n3']);
    expect(formatted).toEqual([2, 3]);
    expect(rows[4]!.line).toBe('n5');
    expect(rows[5]).toBeUndefined();
    expect(rows.map((r) => r.cells[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(formatted).toEqual([2, 3, 5, 1, 4]);
  });
});

describe('lazyRowsAt', () => {
  it('asks for an item only when its row is read', () => {
    const asked: number[] = [];
    const rows = lazyRowsAt(1000, (i) => (asked.push(i), i * 2), (n) => ({ line: String(n), cells: [] }));
    expect(pageOf({ title: 't', matched: 1000, summary: [], columns: [], rows }, 0).rows.map((r) => r.line)).toEqual(Array.from({ length: 20 }, (_, i) => String(i * 2)));
    expect(asked).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(rows.length).toBe(1000);
  });
});

describe('matchedLine', () => {
  it('says how many matched, with the page when there are several', () => {
    const answer = { title: 't', matched: 45, summary: [], columns: [], rows: Array.from({ length: 45 }, () => ({ line: '', cells: [] })) };
    expect(matchedLine(pageOf(answer, 1))).toBe('45 matched · page 2 of 3');
    expect(matchedLine(pageOf({ ...answer, matched: 0, rows: [] }, 0))).toBe('0 matched');
  });
});
