import { describe, expect, it } from 'vitest';
import { renderCardText } from '../../../adapters/terminal/render-text.ts';
import { buildDecisionCard } from '../../../src/cards/decision-card.ts';
import { buildDigestCard, type DigestView } from '../../../src/cards/digest-card.ts';
import { summarizeRemediation } from '../../../src/cards/remediation-status.ts';
import { alice, bob, decision, financeGroup, salesforce, skipped } from '../../helpers/records.ts';

const view: DigestView = {
  key: 'digest:icicmp1:abc',
  campaign: { id: 'icicmp1', name: 'Q2 access review' },
  events: 40,
  decisions: { NORESPONSE: 30, REVOKE: 2 },
  remediations: { SKIPPED: 1, SUCCESS: 7 },
  firstAt: '2024-05-02T09:30:00.000Z',
  lastAt: '2024-05-02T09:31:00.000Z',
  items: [
    { item: 'I1', principal: alice, resource: salesforce, decision: 'REVOKE' },
    { item: 'I2', principal: bob, resource: financeGroup, decision: 'REVOKE', remediation: summarizeRemediation(skipped()) },
  ],
  unlisted: 0,
  totals: { decisions: { NORESPONSE: 30, REVOKE: 2 }, remediations: { SKIPPED: 1, SUCCESS: 7 }, items: 32 },
};

describe('renderCardText: digests', () => {
  it('prints the lists of a digest with their bullets', () => {
    expect(renderCardText(buildDigestCard(view))).toMatchInlineSnapshot(`
      "⚠ Campaign digest: Q2 access review
        (updates digest:icicmp1:abc)
        Campaign:              Q2 access review
        Campaign id:           icicmp1
        Events collected:      40
        From:                  2024-05-02 09:30:00 UTC
        To:                    2024-05-02 09:31:00 UTC
        Decisions (burst):     NORESPONSE 30 · REVOKE 2
        Remediations (burst):  SUCCESS 7 · SKIPPED 1
        Campaign items:        32
        Campaign decisions:    NORESPONSE 30 · REVOKE 2
        Campaign remediations: SUCCESS 7 · SKIPPED 1

        Many events arrived at once for this campaign, so they are collected here instead of posted one by one. Every listed item has a line of detail in the thread.
        Open manual-remediation tasks: /oig skipped.

        Revoked (2):
          • Alice Example · Salesforce (APPLICATION)
          • Bob Builder · Finance (GROUP) — SKIPPED

        Manual remediation needed (1):
          • Bob Builder · Finance (GROUP) — SKIPPED"
    `);
  });

  it('says when an edit only applies to a message already posted', () => {
    const card = { ...buildDecisionCard(decision()), updateOnly: true };
    expect(renderCardText(card)).toContain('(updates decision:ITEM1 if it was posted)');
  });

  it('strips control sequences from digest lines', () => {
    const card = buildDigestCard({ ...view, items: [{ item: 'I9', principal: { name: 'Evil\u001b[2J' }, resource: salesforce, decision: 'REVOKE' }] });
    expect(renderCardText(card)).toContain('• Evil · Salesforce (APPLICATION)');
  });
});
