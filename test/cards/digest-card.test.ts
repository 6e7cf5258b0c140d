import { describe, expect, it } from 'vitest';
import {
  buildDigestCard, buildDigestPartCard, buildManualDigestCard, digestPartKey, digestParts, manualDigestKey, PART_SIZE, type DigestView,
} from '../../src/cards/digest-card.ts';
import { summarizeRemediation } from '../../src/cards/remediation-status.ts';
import { alice, remediation, rita, salesforce, skipped } from '../helpers/records.ts';

function view(n: number, manualEvery = 0): DigestView {
  return {
    key: 'digest:c1:k',
    campaign: { id: 'c1', name: 'Q2' },
    events: n,
    decisions: { REVOKE: n },
    remediations: {},
    firstAt: '2024-05-02T09:30:00.000Z',
    lastAt: '2024-05-02T09:40:00.000Z',
    items: Array.from({ length: n }, (_, i) => ({
      item: `I${i}`,
      principal: { ...alice, name: `User ${i}` },
      resource: salesforce,
      reviewer: rita,
      decision: 'REVOKE',
      notes: `note ${i}`,
      ...(manualEvery && i % manualEvery === 0 ? { remediation: summarizeRemediation(skipped()) } : { remediation: summarizeRemediation(remediation()) }),
    })),
    unlisted: 0,
    totals: { decisions: { REVOKE: n }, remediations: {}, items: n },
  };
}

describe('digest cards', () => {
  it('the digest: totals as facts, the first 15 items of each list, the rest counted', () => {
    const card = buildDigestCard(view(20, 4));
    expect(card).toMatchObject({ kind: 'digest', family: 'CERTIFICATION', severity: 'warning', key: 'digest:c1:k', at: '2024-05-02T09:40:00.000Z' });
    expect(card.sections!.map((s) => [s.title, s.lines.length, s.more])).toEqual([
      ['Revoked (20)', 15, 5],
      ['Manual remediation needed (5)', 5, undefined],
    ]);
    expect(card.sections![0]!.lines[0]).toBe('User 0 · Salesforce (APPLICATION) — SKIPPED');
  });

  it('is informational when nothing needs manual work, and has no lists without items', () => {
    expect(buildDigestCard(view(3)).severity).toBe('info');
    expect(buildDigestCard(view(0)).sections).toBeUndefined();
    expect(buildManualDigestCard(view(3))).toBeUndefined();
  });

  it('detail parts are replies in the digest thread, PART_SIZE items each, with full detail', () => {
    const v = view(PART_SIZE + 3);
    expect(digestParts(v)).toBe(2);
    const second = buildDigestPartCard(v, 1);
    expect(second).toMatchObject({ key: digestPartKey(v.key, 1), threadKey: v.key, title: `Details ${PART_SIZE + 1}–${PART_SIZE + 3}: Q2` });
    expect(second.sections![0]!.lines[0]).toBe(
      `User ${PART_SIZE} (alice@example.com) · Salesforce (APPLICATION) · REVOKE by Rita Reviewer (rita@example.com) · remediation SUCCESS: access removed · notes: note ${PART_SIZE}`,
    );
  });

  it('the manual digest goes to the MANUAL family under its own key', () => {
    const card = buildManualDigestCard(view(10, 2))!;
    expect(card).toMatchObject({ family: 'MANUAL', key: manualDigestKey('digest:c1:k'), title: 'Manual remediation needed: 5 item(s) of Q2' });
    expect(card.sections![0]!.lines).toHaveLength(5);
  });
});
