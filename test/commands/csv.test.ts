import { describe, expect, it } from 'vitest';
import { csvField, neutralize, toCsv } from '../../src/commands/csv.ts';

describe('CSV (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['', ''],
  ])('%j → %j', (cell, out) => {
    expect(csvField(cell)).toBe(out);
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil")'])('neutralizes formula-like %j', (cell) => {
    expect(neutralize(cell)).toBe(`'${cell}`);
  });

  it('quotes a neutralized cell that needs it', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
  });

  it('writes a header and every row, CRLF line ends', () => {
    const csv = toCsv({ title: 't', matched: 2, summary: [], columns: ['a', 'b'], rows: [{ line: '', cells: ['1', 'x,y'] }, { line: '', cells: ['-2', ''] }] });
    expect(csv).toBe('a,b\r\n1,"x,y"\r\n\'-2,\r\n');
  });
});
