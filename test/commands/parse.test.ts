import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, parseSince } from '../../src/commands/parse.ts';
import type { OigQuery } from '../../src/commands/query.ts';

const DAY = 86_400_000;

describe('parseCommand: every SPEC §5 command', () => {
  it.each<[string, OigQuery]>([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['   HELP  ', { kind: 'help' }],
    ['revokes', { kind: 'revokes' }],
    ['Revokes since 7d', { kind: 'revokes', since: { kind: 'relative', ms: 7 * DAY, text: '7d' } }],
    ['revokes since 24H', { kind: 'revokes', since: { kind: 'relative', ms: DAY, text: '24h' } }],
    ['revokes since 2026-11-01', { kind: 'revokes', since: { kind: 'date', iso: '2026-11-01T00:00:00.000Z', text: '2026-11-01' } }],
    ['revokes campaign Q2 access review', { kind: 'revokes', campaign: 'Q2 access review' }],
    ['revokes  campaign   Q2\taccess review   since 7d', { kind: 'revokes', campaign: 'Q2 access review', since: { kind: 'relative', ms: 7 * DAY, text: '7d' } }],
    ['revokes since 2w campaign "Q2 access review"', { kind: 'revokes', campaign: 'Q2 access review', since: { kind: 'relative', ms: 14 * DAY, text: '2w' } }],
    ['revoke Q2', { kind: 'revokes', campaign: 'Q2' }],
    ['skipped', { kind: 'skipped' }],
    ['SKIPPED', { kind: 'skipped' }],
    ['campaign Q2 access review', { kind: 'campaign', name: 'Q2 access review' }],
    ['Campaign icicmp1', { kind: 'campaign', name: 'icicmp1' }],
    ['user Alice Example', { kind: 'user', name: 'Alice Example' }],
    ['USER   alice@example.com ', { kind: 'user', name: 'alice@example.com' }],
    ['user 00u1alice', { kind: 'user', name: '00u1alice' }],
    ['resource Sales Force App', { kind: 'resource', name: 'Sales Force App' }],
    ['requests', { kind: 'requests', open: false }],
    ['requests OPEN', { kind: 'requests', open: true }],
    ['request open', { kind: 'requests', open: true }],
    ['asa', { kind: 'asa' }],
    ['asa web-01', { kind: 'asa', target: 'web-01' }],
    ['ASA alice', { kind: 'asa', target: 'alice' }],
    ['asa alice since 7d', { kind: 'asa', target: 'alice', since: { kind: 'relative', ms: 7 * DAY, text: '7d' } }],
    ['asa since 2026-10-01 web-01', { kind: 'asa', target: 'web-01', since: { kind: 'date', iso: '2026-10-01T00:00:00.000Z', text: '2026-10-01' } }],
    ['asa since 24h', { kind: 'asa', since: { kind: 'relative', ms: DAY, text: '24h' } }],
    ['stats', { kind: 'stats' }],
    ['Stats', { kind: 'stats' }],
    ['\u00a0stats\u00a0', { kind: 'stats' }],
  ])('%j', (text, query) => {
    expect(parseCommand(text)).toEqual({ query, export: false });
  });

  it.each([
    ['export revokes since 7d', { kind: 'revokes', since: { kind: 'relative', ms: 7 * DAY, text: '7d' } }],
    ['EXPORT skipped', { kind: 'skipped' }],
    ['export campaign Q2', { kind: 'campaign', name: 'Q2' }],
    ['export user alice', { kind: 'user', name: 'alice' }],
    ['export resource Salesforce', { kind: 'resource', name: 'Salesforce' }],
    ['export requests open', { kind: 'requests', open: true }],
    ['export asa', { kind: 'asa' }],
    ['export asa since 2026-10-01', { kind: 'asa', since: { kind: 'date', iso: '2026-10-01T00:00:00.000Z', text: '2026-10-01' } }],
    ['export stats', { kind: 'stats' }],
  ])('%j is an export', (text, query) => {
    expect(parseCommand(text)).toEqual({ query, export: true });
  });
});

describe('parseCommand: forgiving, never an error', () => {
  it.each([
    ['frobnicate', 'frobnicate'],
    ['Whatever you like', 'Whatever'],
    ['requests maybe', 'requests maybe'],
    ['export frobnicate', 'frobnicate'],
  ])('unknown words %j answer with help naming %j', (text, unknown) => {
    expect(parseCommand(text)).toEqual({ query: { kind: 'help', unknown }, export: false });
  });

  it.each([
    'revokes since yesterday', 'revokes since 7x', 'revokes since 2026-02-31', 'revokes since 0d', 'revokes since',
    'asa since tomorrow', 'export asa alice since', 'asa since 2026-11-01T24:00', 'asa since 2026-11-01T08:60',
    'asa since 2026-11-01T08:00+15:00', 'asa since 2026-11-01T08:00+02:99', 'asa since 2026-11-01T08', 'asa since 2026-11-01T08:00EST',
  ])('a bad since (%j) gets a clear message', (text) => {
    const { query } = parseCommand(text);
    expect(query.kind).toBe('invalid');
    expect(query.kind === 'invalid' && query.message).toMatch(/since/);
    expect(query.kind === 'invalid' && query.message).toMatch(/7d/);
  });

  it.each(['campaign', 'user  ', 'resource'])('a missing name (%j) says what is needed', (text) => {
    const { query } = parseCommand(text);
    expect(query).toMatchObject({ kind: 'invalid' });
    expect(query.kind === 'invalid' && query.message).toMatch(/needs a name/);
  });

  it('export alone says what to export', () => {
    expect(parseCommand('export')).toMatchObject({ query: { kind: 'invalid' }, export: false });
  });

  it('undefined text is help', () => {
    expect(parseCommand(undefined)).toEqual({ query: { kind: 'help' }, export: false });
  });
});

describe('parseSince', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['12h', 12 * 3_600_000],
    ['7d', 7 * DAY],
    ['1w', 7 * DAY],
  ])('%s', (text, ms) => {
    expect(parseSince(text)).toEqual({ kind: 'relative', ms, text });
  });
  it('takes an ISO timestamp too', () => {
    expect(parseSince('2026-11-01T12:30:00Z')).toMatchObject({ kind: 'date', iso: '2026-11-01T12:30:00.000Z' });
  });
  it.each(['2026-13-01', '2026-02-29', '2026-04-31', '0099-01-01T00:00', '2026-11-01T25:00'])('refuses %s, which is not on the calendar or the clock', (text) => {
    expect(parseSince(text)).toBeUndefined();
  });
  it('a leap day is on the calendar', () => {
    expect(parseSince('2028-02-29')).toMatchObject({ iso: '2028-02-29T00:00:00.000Z' });
  });
});

/**
 * The server's time zone must not change an answer (issue 12 §8). Node applies a new process.env.TZ at once;
 * the first test proves it did, so the others cannot pass by running in UTC.
 */
describe('since under TZ=America/Los_Angeles: UTC unless an offset is given', () => {
  let tz: string | undefined;
  beforeAll(() => {
    tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('the zone is in effect (local 08:00 on 2026-11-01 is 16:00 UTC, PST)', () => {
    expect(new Date(2026, 10, 1, 8).toISOString()).toBe('2026-11-01T16:00:00.000Z');
    expect(new Date(Date.parse('2026-11-01T08:00')).toISOString()).toBe('2026-11-01T16:00:00.000Z');
  });

  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T08:00', '2026-11-01T08:00:00.000Z'],
    ['2026-11-01t08:00:30', '2026-11-01T08:00:30.000Z'],
    ['2026-11-01T08:00:30.25', '2026-11-01T08:00:30.250Z'],
    ['2026-11-01T08:00Z', '2026-11-01T08:00:00.000Z'],
    ['2026-11-01T08:00:00z', '2026-11-01T08:00:00.000Z'],
    ['2026-11-01T08:00+02:00', '2026-11-01T06:00:00.000Z'],
    ['2026-11-01T08:00-07:00', '2026-11-01T15:00:00.000Z'],
    ['2026-11-01T08:00+0530', '2026-11-01T02:30:00.000Z'],
    ['2026-11-01T00:30+01:00', '2026-10-31T23:30:00.000Z'],
    ['2026-07-01T08:00', '2026-07-01T08:00:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseSince(text)).toEqual({ kind: 'date', iso, text: text.toLowerCase() });
    expect(parseCommand(`revokes since ${text}`).query).toMatchObject({ kind: 'revokes', since: { iso } });
    expect(parseCommand(`export asa since ${text}`)).toMatchObject({ query: { kind: 'asa', since: { iso } }, export: true });
  });

  it('nonsense still gets the message', () => {
    const { query } = parseCommand('revokes since 2026-11-01T08:00+25:00');
    expect(query.kind === 'invalid' && query.message).toMatch(/is not a period I understand/);
  });
});
