import { describe, expect, it } from 'vitest';
import { cleanText, clipText, escapeMarkdown, factText, line, oneLine, paragraphs } from '../../../adapters/teams/render/adaptive-text.ts';
import { unescapedMarks } from './card-checks.ts';

describe('escapeMarkdown', () => {
  it.each([
    ['**x**', '\\*\\*x\\*\\*'],
    ['_it_', '\\_it\\_'],
    ['[click](https://evil)', '\\[click\\](https://evil)'],
    ['![img](https://evil/x.png)', '!\\[img\\](https://evil/x.png)'],
    ['<at>Everyone</at>', '\\<at\\>Everyone\\</at\\>'],
    ['# H', '\\# H'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['1. first', '1\\. first'],
    ['12) twelfth', '12\\) twelfth'],
    ['a\n===', 'a\n\\===' ],
    ['`code`', '\\`code\\`'],
    ['~~gone~~', '\\~\\~gone\\~\\~'],
    ['{{DATE(2017-02-14T06:00:00Z, SHORT)}}', '\\{\\{DATE(2017-02-14T06:00:00Z, SHORT)\\}\\}'],
    ['a | b', 'a \\| b'],
    ['A &lt;at&gt; B', 'A \\&lt;at\\&gt; B'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeMarkdown(raw)).toBe(escaped);
  });

  it('leaves ordinary Okta values readable: no backslash where no mark can start', () => {
    for (const v of ['Alice Example (alice@example.com)', 'Salesforce (APPLICATION)', '2024-05-02 09:30:00 UTC', 'APPROVE 10 · REVOKE 3', 'x-y+z=1. ok!']) {
      expect(escapeMarkdown(v)).toBe(v);
    }
  });

  it('leaves no mark unescaped in hostile text, on any line', () => {
    const hostile = '**x** [click](https://evil) <at>Everyone</at> # H\n1. a\n - b\n  + c\n===\n> quote\n`x` ~~y~~ {{z}} a|b &amp; \\*';
    expect(unescapedMarks(hostile).length).toBeGreaterThan(10); // the checker sees them before escaping
    expect(unescapedMarks(escapeMarkdown(hostile))).toEqual([]);
  });
});

describe('text shaping', () => {
  it('clips to max characters with an ellipsis, never splitting a surrogate pair', () => {
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText('abc', 4)).toBe('abc');
    expect(clipText('ab😀cd', 4)).toBe('ab…');
  });

  it('removes controls and bidi overrides and normalises line breaks', () => {
    expect(cleanText('a\u0000b\u001b[2J\u202ec\r\nd\re\tf')).toBe('abc\nd\ne f');
    expect(oneLine('a\n\n  b\r\nc')).toBe('a b c');
  });

  it('makes a fact value one escaped, clipped line', () => {
    expect(factText('**a**\n- b', 100)).toBe('\\*\\*a\\*\\* - b');
    expect(factText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('puts untrusted text into TextRuns as written: one block per line, never an empty run', () => {
    expect(line('  **a**  ', 100)).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '**a**' }], spacing: 'None' });
    expect(line('\n', 100).inlines[0]!.text).toBe(' ');
    expect(paragraphs('one\n\n- two\r\nthree', 100, { isSubtle: true })).toEqual([
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'one', isSubtle: true }], spacing: 'Default' },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '- two', isSubtle: true }], spacing: 'None' },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'three', isSubtle: true }], spacing: 'None' },
    ]);
    expect(paragraphs('  \n ', 100)).toEqual([]);
  });
});
