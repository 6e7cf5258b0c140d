/**
 * The shared cleaning of untrusted text (issue 12 item 7): what is removed, what becomes a space, and that
 * the letters are all still there. The chat-specific escaping is tested with each renderer
 * (test/slack/untrusted-text.test.ts, test/teams/untrusted-text.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { campaignText, facts, notes, partyShort, partyText, resourceText } from '../../src/cards/format.ts';
import { hasLayoutCharacters, inertBlock, inertLine } from '../../src/cards/untrusted-text.ts';
import { decision } from '../helpers/records.ts';

/** the name of the issue: a line break that would add a line of our own-looking text, and a bidi override */
export const HOSTILE = 'Mallory\r\n✅ *Access approved* \u202Eevil\u202C';

describe('inertLine', () => {
  it.each([
    ['CRLF and the spaces around it become one space', 'a \r\n  b', 'a b'],
    ['every kind of line break', 'a\nb\rc\u000bd\u000ce\u0085f\u2028g\u2029h', 'a b c d e f g h'],
    ['a run of line breaks is one space', 'a\n\n\r\n\nb', 'a b'],
    ['tabs become spaces', 'a\tb', 'a b'],
    ['bidi overrides and isolates go', 'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j', 'abcdefghij'],
    ['directional marks go', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['zero-width and invisible characters go', 'a\u200Bb\u2060c\u2063d\uFEFFe\u00ADf\u206Ag\uFFF9h', 'abcdefgh'],
    ['tag characters (invisible text) go', `a${String.fromCodePoint(0xe0041, 0xe0042)}b`, 'ab'],
    ['C0 and C1 controls go', 'a\u0000b\u0007c\u007Fd\u0080e\u0099f', 'abcdef'],
    ['terminal escape sequences go whole', 'a\u001b[31mred\u001b[0m \u001b]8;;https://evil\u0007link', 'ared link'],
    ['ZWJ and ZWNJ stay: names and emoji need them', 'می\u200Cخواهم 👨\u200D👩\u200D👧', 'می\u200Cخواهم 👨\u200D👩\u200D👧'],
    ['right-to-left letters stay as they are', 'שלום עולם مرحبا', 'שלום עולם مرحبا'],
    ['formatting marks are not its business', '*bold* _x_ `c` <!channel> [a](b)', '*bold* _x_ `c` <!channel> [a](b)'],
  ])('%s', (_, raw, shown) => {
    expect(inertLine(raw)).toBe(shown);
    expect(hasLayoutCharacters(shown)).toBe(false);
  });

  it('keeps every letter of the issue name and drops only layout', () => {
    const shown = inertLine(HOSTILE);
    expect(shown).toBe('Mallory ✅ *Access approved* evil');
    expect(shown).not.toMatch(/[\r\n\u202E\u202C]/);
    expect(hasLayoutCharacters(HOSTILE)).toBe(true);
  });
});

describe('inertBlock', () => {
  it('keeps line breaks as "\\n" and removes the rest like inertLine', () => {
    expect(inertBlock('one\r\ntwo\rthree\u2028four\u202E\tfive')).toBe('one\ntwo\nthree\nfour five');
  });
});

describe('format.ts names are one line before any card quotes them', () => {
  it('people, resources and campaigns', () => {
    const p = { id: '00u1', name: HOSTILE, login: 'mal\r\nlory@example.com' };
    expect(partyText(p)).toBe('Mallory ✅ *Access approved* evil (mal lory@example.com)');
    expect(partyShort(p)).toBe('Mallory ✅ *Access approved* evil');
    expect(resourceText({ id: '0oa1', name: 'Sales\nforce', type: 'APP\u202ELICATION' })).toBe('Sales force (APPLICATION)');
    expect(campaignText({ id: 'ici1', name: 'Q2\r\n\u202Ereview' })).toBe('Q2 review');
  });

  it('facts are one line; notes keep their lines but lose controls', () => {
    expect(facts(['Principal', HOSTILE], ['Empty', '\r\n\u202E'])).toEqual([{ label: 'Principal', value: 'Mallory ✅ *Access approved* evil' }]);
    expect(notes('first\r\nsecond\u202E', '\u200B')).toEqual(['first\nsecond']);
  });

  it('a card built from a hostile decision has no line break or bidi character in its title or facts', () => {
    const card = buildDecisionCard(decision({ principal: { id: '00u1', name: HOSTILE }, notes: `Reviewed by ${HOSTILE}` }));
    for (const text of [card.title, ...card.facts.map((f) => f.value)]) expect(hasLayoutCharacters(text)).toBe(false);
    expect(card.title).toContain('Mallory ✅ *Access approved* evil');
  });
});
