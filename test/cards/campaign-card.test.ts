import { describe, expect, it } from 'vitest';
import { buildCampaignCard } from '../../src/cards/campaign-card.ts';
import type { CampaignTotals } from '../../src/route/route-context.ts';
import { campaign } from '../helpers/records.ts';

const none: CampaignTotals = { decisions: {}, remediations: {}, items: 0 };
const closed: CampaignTotals = {
  decisions: { APPROVE: 12, REVOKE: 3, NORESPONSE: 5 },
  remediations: { SUCCESS: 2, SKIPPED: 1 },
  items: 20,
};

describe('buildCampaignCard', () => {
  it('announces a launch without empty totals', () => {
    const card = buildCampaignCard(campaign('launch'), none);
    expect(card).toMatchObject({ kind: 'campaign', family: 'CERTIFICATION', severity: 'info', title: 'Campaign launched: Q2 access review' });
    expect(card.facts.map((f) => f.label)).toEqual(['Campaign', 'Campaign id', 'Launched by', 'At']);
    expect(card.notes).toBeUndefined();
    expect(card.key).toBeUndefined();
  });

  it('closes with totals by decision and remediation outcome, and points at manual work', () => {
    const card = buildCampaignCard(campaign('close'), closed);
    expect(card.title).toBe('Campaign closed: Q2 access review');
    expect(card.severity).toBe('warning');
    expect(card.facts.slice(-3)).toEqual([
      { label: 'Items', value: '20' },
      { label: 'Decisions', value: 'APPROVE 12 · NORESPONSE 5 · REVOKE 3' },
      { label: 'Remediations', value: 'SUCCESS 2 · SKIPPED 1' },
    ]);
    expect(card.notes).toEqual([
      '5 item(s) closed without a review decision.',
      '1 remediation(s) need manual work: see /oig skipped.',
    ]);
  });

  it('a clean close is plain info and still shows zero items', () => {
    const card = buildCampaignCard(campaign('close'), none);
    expect(card.severity).toBe('info');
    expect(card.facts.find((f) => f.label === 'Items')?.value).toBe('0');
  });

  it('falls back to the campaign id when the name is missing', () => {
    const card = buildCampaignCard(campaign('launch', { campaign: { id: 'icicmp9' } }), none);
    expect(card.title).toBe('Campaign launched: icicmp9');
    expect(card.facts.some((f) => f.label === 'Campaign id')).toBe(false);
  });
});
