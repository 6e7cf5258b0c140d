import { describe, expect, it } from 'vitest';
import {
  clip, countsText, durationText, facts, latestAt, partyText, resourceText, timeText, workflowsText,
} from '../../src/cards/format.ts';
import { decision, svcWorkflows } from '../helpers/records.ts';

describe('clip', () => {
  it('keeps short text and cuts long text to the limit with an ellipsis', () => {
    expect(clip('short', 10)).toBe('short');
    const cut = clip('x'.repeat(5000));
    expect(cut).toHaveLength(1000);
    expect(cut.endsWith('x…')).toBe(true);
  });

  it('never leaves half of a surrogate pair', () => {
    // 3 x "😀" is 6 UTF-16 units; cutting to 4 would split the second emoji
    expect(clip('😀😀😀', 4)).toBe('😀…');
  });
});

describe('party and resource text', () => {
  it.each([
    [{ name: 'Alice Example', login: 'alice@example.com' }, 'Alice Example (alice@example.com)'],
    [{ name: 'alice@example.com', login: 'alice@example.com' }, 'alice@example.com'],
    [{ login: 'alice@example.com', id: '00u1' }, 'alice@example.com'],
    [{ id: '00u1' }, '00u1'],
    [{}, 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (party, text) => {
    expect(partyText(party)).toBe(text);
  });

  it('adds the resource type', () => {
    expect(resourceText({ name: 'Salesforce', type: 'APPLICATION' })).toBe('Salesforce (APPLICATION)');
    expect(resourceText({ id: '00g1' })).toBe('00g1');
  });
});

describe('times and durations', () => {
  it('formats ISO times in UTC and keeps what is not a date', () => {
    expect(timeText('2024-05-02T09:30:00.123+02:00')).toBe('2024-05-02 07:30:00 UTC');
    expect(timeText('yesterday')).toBe('yesterday');
    expect(timeText(undefined)).toBeUndefined();
  });

  it.each([
    [30_000, '<1m'],
    [12 * 60_000, '12m'],
    [(4 * 60 + 5) * 60_000, '4h 5m'],
    [3 * 3_600_000, '3h'],
    [(2 * 24 + 3) * 3_600_000 + 59 * 60_000, '2d 3h'],
    [Number.NaN, '<1m'],
  ])('%d ms → %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });

  it('picks the newest timestamp', () => {
    expect(latestAt('2024-05-02T09:30:00Z', '2024-05-02T09:31:00Z', '2024-05-01T00:00:00Z')).toBe('2024-05-02T09:31:00Z');
    expect(latestAt('garbage', '2024-05-01T00:00:00Z')).toBe('2024-05-01T00:00:00Z');
  });
});

describe('facts, counts, workflows', () => {
  it('drops empty facts and clips long ones', () => {
    const list = facts(['A', 'one'], ['B', undefined], ['C', '  '], ['D', 'y'.repeat(2000)]);
    expect(list.map((f) => f.label)).toEqual(['A', 'D']);
    expect(list[1]?.value).toHaveLength(1000);
  });

  it('sorts counts biggest first and skips zeros', () => {
    expect(countsText({ APPROVE: 10, REVOKE: 3, DELEGATE: 0, NORESPONSE: 3 })).toBe('APPROVE 10 · NORESPONSE 3 · REVOKE 3');
    expect(countsText({})).toBeUndefined();
  });

  it('attributes Okta Workflows actions to the connection owner', () => {
    expect(workflowsText(decision({ wf: { owner: svcWorkflows } }))).toBe(
      'via Okta Workflows (connection owner: Workflows Service (svc-workflows@example.com))',
    );
    expect(workflowsText(decision())).toBeUndefined();
  });
});
