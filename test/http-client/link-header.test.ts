import { describe, expect, it } from 'vitest';
import { nextLink, parseLinkHeader } from '../../src/http-client/link-header.ts';

describe('parseLinkHeader', () => {
  it.each([
    ['one quoted rel', '<https://a.example/x?page=2>; rel="next"', { next: 'https://a.example/x?page=2' }],
    ['bare rel value', '<https://a.example/x?page=2>; rel=next', { next: 'https://a.example/x?page=2' }],
    [
      "Okta's self and next in one line",
      '<https://org.okta.com/api/v1/logs?limit=20&since=2017-06-10T00%3A00%3A00%2B00%3A00>; rel="self", <https://org.okta.com/api/v1/logs?limit=20&after=349996bd-5091>; rel="next"',
      { self: 'https://org.okta.com/api/v1/logs?limit=20&since=2017-06-10T00%3A00%3A00%2B00%3A00', next: 'https://org.okta.com/api/v1/logs?limit=20&after=349996bd-5091' },
    ],
    ['commas and semicolons inside the URL', '<https://a.example/x?f=a,b;c>; rel="next"', { next: 'https://a.example/x?f=a,b;c' }],
    ['several relations in one rel', '<https://a.example/last>; rel="next last"', { next: 'https://a.example/last', last: 'https://a.example/last' }],
    ['other params and spacing', '<https://a.example/2> ;type="application/json";  REL = "Next" ; title="p, 2"', { next: 'https://a.example/2' }],
    ['a link without rel is ignored', '<https://a.example/2>; title="x", <https://a.example/3>; rel="next"', { next: 'https://a.example/3' }],
    ['garbage', 'not a link header', {}],
    ['empty', '', {}],
    ['unterminated', '<https://a.example/2; rel="next"', {}],
  ])('%s', (_name, header, expected) => {
    expect(Object.fromEntries(parseLinkHeader(header))).toEqual(expected);
  });

  it('reads several header lines (undici gives repeated headers as an array)', () => {
    const links = parseLinkHeader(['<https://org.okta.com/api/v1/logs?a=1>; rel="self"', '<https://org.okta.com/api/v1/logs?after=2>; rel="next"']);
    expect(links.get('next')).toBe('https://org.okta.com/api/v1/logs?after=2');
    expect(links.get('self')).toBe('https://org.okta.com/api/v1/logs?a=1');
  });

  it('keeps the first link of a relation', () => {
    expect(parseLinkHeader('<https://a.example/1>; rel="next", <https://a.example/2>; rel="next"').get('next')).toBe('https://a.example/1');
  });
});

describe('nextLink', () => {
  it('resolves a relative next link against the requested URL', () => {
    expect(nextLink('</v1/teams/t/auditsV2?offset=abc%3D%3D>; rel="next"', 'https://app.scaleft.com/v1/teams/t/auditsV2?count=5')).toBe(
      'https://app.scaleft.com/v1/teams/t/auditsV2?offset=abc%3D%3D',
    );
  });

  it('is undefined without a next link (the last page)', () => {
    expect(nextLink('<https://a.example/1>; rel="self"', 'https://a.example/1')).toBeUndefined();
    expect(nextLink(undefined, 'https://a.example/1')).toBeUndefined();
  });
});
