import { describe, expect, it } from 'vitest';
import type { RouteFamily } from '../../src/cards/card.ts';
import { ROUTE_FAMILIES as FAMILIES } from '../../src/cards/card.ts';
import { familiesText, readWords, type TeamsWords } from '../../adapters/teams/teams-words.ts';

describe('readWords: /oig commands', () => {
  it.each<[string | undefined, TeamsWords]>([
    ['oig revokes since 7d', { kind: 'oig', text: 'revokes since 7d' }],
    ['/oig revokes since 7d', { kind: 'oig', text: 'revokes since 7d' }],
    ['OIG revokes since 7d', { kind: 'oig', text: 'revokes since 7d' }],
    ['/OIG pending', { kind: 'oig', text: 'pending' }],
    // a personal chat: no `oig` at all
    ['revokes since 7d', { kind: 'oig', text: 'revokes since 7d' }],
    // `oig` only where it leads, and only as a whole word
    ['revokes oig', { kind: 'oig', text: 'revokes oig' }],
    ['oiga revokes', { kind: 'oig', text: 'oiga revokes' }],
    ['oig', { kind: 'oig', text: '' }],
    ['', { kind: 'oig', text: '' }],
    [undefined, { kind: 'oig', text: '' }],
    ['   ', { kind: 'oig', text: '' }],
  ])('%j', (raw, words) => {
    expect(readWords(raw)).toEqual(words);
  });

  it.each<[string, string]>([
    ['oig&nbsp;revokes&nbsp;&nbsp;since 7d', 'revokes since 7d'],
    ['oig\u00a0revokes\u00a0since\u00a07d', 'revokes since 7d'],
    ['<at></at> oig revokes since 7d', 'revokes since 7d'],
    ['<at>OIG</at> revokes since 7d', 'revokes since 7d'],
    ['<p>oig revokes since 7d</p>', 'revokes since 7d'],
    ['  oig   revokes \t since\n7d  ', 'revokes since 7d'],
    ['&nbsp;<at></at>&nbsp;/oig\u00a0 access   alice@example.com ', 'access alice@example.com'],
  ])('cleans %j', (raw, text) => {
    expect(readWords(raw)).toEqual({ kind: 'oig', text });
  });
});

describe('readWords: subscribe and unsubscribe', () => {
  it.each<[string, RouteFamily[], string[]]>([
    ['oig subscribe', [], []],
    ['subscribe', [], []],
    ['oig subscribe certification manual', ['CERTIFICATION', 'MANUAL'], []],
    ['oig subscribe access_request access-review system asa', ['ACCESS_REQUEST', 'ACCESS_REVIEW', 'SYSTEM', 'ASA'], []],
    ['oig subscribe requests reviews alerts tasks campaigns', ['ACCESS_REQUEST', 'ACCESS_REVIEW', 'SYSTEM', 'MANUAL', 'CERTIFICATION'], []],
    ['oig subscribe request review campaign skipped certifications', ['ACCESS_REQUEST', 'ACCESS_REVIEW', 'CERTIFICATION', 'MANUAL'], []],
    // `all` names no family: empty means every family (Subscriptions.subscribe)
    ['oig subscribe all', [], []],
    ['oig subscribe everything', [], []],
    ['OIG SUBSCRIBE CERTIFICATION Manual', ['CERTIFICATION', 'MANUAL'], []],
    ['oig subscribe certification, manual;', ['CERTIFICATION', 'MANUAL'], []],
    ['oig subscribe certification,, asa', ['CERTIFICATION', 'ASA'], []],
    ['oig subscribe manual tasks skipped manual', ['MANUAL'], []],
    ['oig subscribe requests access_request Access-Request', ['ACCESS_REQUEST'], []],
    ['oig subscribe certification bogus manual Nonsense', ['CERTIFICATION', 'MANUAL'], ['bogus', 'Nonsense']],
    ['oig subscribe   certification&nbsp; manual', ['CERTIFICATION', 'MANUAL'], []],
    // lists without spaces, a comma after the verb, punctuation kept out of unknown words
    ['oig subscribe certification,manual', ['CERTIFICATION', 'MANUAL'], []],
    ['oig subscribe, manual', ['MANUAL'], []],
    ['oig subscribe bogus, manual', ['MANUAL'], ['bogus']],
    ['oig subscribe certifcation', [], ['certifcation']],
  ])('%j', (raw, families, unknown) => {
    expect(readWords(raw)).toEqual({ kind: 'subscribe', families, unknown });
  });

  it('clips an unknown word to 40 characters', () => {
    const long = 'x'.repeat(39) + 'yz' + 'q'.repeat(20);
    const words = readWords(`oig subscribe ${long} asa`);
    expect(words).toEqual({ kind: 'subscribe', families: ['ASA'], unknown: ['x'.repeat(39) + 'y'] });
    if (words.kind === 'subscribe') expect(words.unknown[0]).toHaveLength(40);
  });

  it.each(['oig unsubscribe', 'unsubscribe', '/oig Unsubscribe', 'OIG UNSUBSCRIBE everything', '&nbsp;oig\u00a0unsubscribe '])('%j unsubscribes', (raw) => {
    expect(readWords(raw)).toEqual({ kind: 'unsubscribe' });
  });

  it('leaves subscribe as an /oig word when it is not the first one', () => {
    expect(readWords('oig help subscribe')).toEqual({ kind: 'oig', text: 'help subscribe' });
  });
});

describe('familiesText', () => {
  it.each<[readonly RouteFamily[], string]>([
    [FAMILIES, 'all cards'],
    [[...FAMILIES].reverse(), 'all cards'],
    [['CERTIFICATION', 'MANUAL'], 'certification, manual'],
    [['ACCESS_REQUEST'], 'access_request'],
    [['CERTIFICATION', 'ACCESS_REQUEST', 'ACCESS_REVIEW', 'SYSTEM', 'ASA'], 'certification, access_request, access_review, system, asa'],
    [[], ''],
  ])('%j -> %j', (families, text) => {
    expect(familiesText(families)).toBe(text);
  });
});

describe('readWords keeps the /oig words as typed', () => {
  it('does not split a campaign name at its commas', () => {
    expect(readWords('oig revokes campaign Q2, 2026')).toEqual({ kind: 'oig', text: 'revokes campaign Q2, 2026' });
  });
});
