import { describe, expect, it } from 'vitest';
import { escapeClipped, escapeMrkdwn, escapeSplit } from '../../adapters/slack/render/mrkdwn.ts';

describe('mrkdwn escaping', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<https://evil|ok>', '&lt;https://evil|ok&gt;'],
    ['R&D', 'R&amp;D'],
    ['&lt; already', '&amp;lt; already'],
    ['*bold* _it_ `code`', '*bold* _it_ `code`'],
  ])('escapes %s', (raw, escaped) => {
    expect(escapeMrkdwn(raw)).toBe(escaped);
  });

  it('clips after escaping, never inside an entity', () => {
    const out = escapeClipped('&&&&&&&&&&', 12);
    expect(out).toBe('&amp;&amp;…');
    expect(out.length).toBeLessThanOrEqual(12);
    expect(escapeClipped('short', 12)).toBe('short');
  });

  it('does not split a surrogate pair when clipping', () => {
    const out = escapeClipped('😀😀😀😀', 6);
    expect(out).toBe('😀😀…');
  });

  it('splits into pieces within the limit, at a space when there is one, losing nothing', () => {
    const text = 'word '.repeat(30).trim();
    const pieces = escapeSplit(text, 40);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(40);
    expect(pieces.join(' ').split(/\s+/)).toHaveLength(30);
    expect(escapeSplit('<<<<<<<<', 8)).toEqual(['&lt;&lt;', '&lt;&lt;', '&lt;&lt;', '&lt;&lt;']);
    expect(escapeSplit('', 10)).toEqual([' ']);
  });
});
