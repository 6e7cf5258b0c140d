import { describe, expect, it } from 'vitest';
import { renderCard, renderPlain, type SlackMessage } from '../../adapters/slack/render/render-card.ts';
import type { Card } from '../../src/cards/card.ts';
import { buildDecisionCard } from '../../src/cards/decision-card.ts';
import { buildDigestCard, buildDigestPartCard, buildManualDigestCard } from '../../src/cards/digest-card.ts';
import { decision } from '../helpers/records.ts';
import { digestView, sampleCards } from '../helpers/sample-cards.ts';

interface AnyText {
  type: string;
  text: string;
}
interface AnyBlock {
  type: string;
  text?: AnyText;
  fields?: AnyText[];
  elements?: Array<AnyText & { action_id?: string; value?: string; text?: AnyText | string }>;
}

/** every Block Kit limit the renderer promises (STACK-NOTES); returns the violations */
function limitViolations(m: SlackMessage): string[] {
  const bad: string[] = [];
  if (m.text.length === 0 || m.text.length > 3900) bad.push(`text length ${m.text.length}`);
  if (m.blocks.length > 50) bad.push(`${m.blocks.length} blocks`);
  for (const [i, raw] of m.blocks.entries()) {
    const b = raw as unknown as AnyBlock;
    if (b.type === 'header' && b.text!.text.length > 150) bad.push(`header ${b.text!.text.length}`);
    if (b.type === 'section') {
      if (b.text && (b.text.text.length > 3000 || b.text.text.length < 1)) bad.push(`section ${i} text ${b.text.text.length}`);
      if (b.fields && b.fields.length > 10) bad.push(`section ${i} has ${b.fields.length} fields`);
      for (const f of b.fields ?? []) if (f.text.length > 2000) bad.push(`field ${f.text.length}`);
    }
    if (b.type === 'context' && b.elements!.length > 10) bad.push(`context ${b.elements!.length}`);
    if (b.type === 'actions') {
      if (b.elements!.length > 25) bad.push('actions');
      for (const e of b.elements!) {
        if ((e.text as AnyText).text.length > 75) bad.push('button text');
        if ((e.value ?? '').length > 2000) bad.push('button value');
        if ((e.action_id ?? '').length > 255) bad.push('action_id');
      }
    }
  }
  return bad;
}

const CARDS: Record<string, Card> = sampleCards('U0ALICE');

describe('renderCard (snapshots, one per card kind)', () => {
  for (const [name, card] of Object.entries(CARDS)) {
    it(`renders ${name}`, () => {
      const message = renderCard(card);
      expect(limitViolations(message)).toEqual([]);
      expect(message).toMatchSnapshot();
    });
  }
});

describe('renderCard specifics', () => {
  it('renders the manual-remediation buttons with action_id = ActionId and value = the task id', () => {
    const blocks = renderCard(CARDS['manual remediation (open)']!).blocks as unknown as AnyBlock[];
    const actions = blocks.at(-1)!;
    expect(actions.type).toBe('actions');
    expect(actions.elements!.map((e) => [e.action_id, e.value, (e.text as AnyText).text])).toEqual([
      ['oig_manual_claim', 'item:ITEM1', 'Claim'],
      ['oig_manual_done', 'item:ITEM1', 'Mark done'],
      ['oig_manual_verify', 'item:ITEM1', 'Verify in Okta'],
    ]);
  });

  it('says "via Okta Workflows" on an attributed decision', () => {
    expect(JSON.stringify(renderCard(CARDS['decision via Okta Workflows']!).blocks)).toContain('via Okta Workflows (connection owner: Workflows Service');
  });

  it('shows untrusted text as plain_text in the blocks and escapes it in the mrkdwn fallback, verbatim on', () => {
    const card = buildDecisionCard(decision({ notes: '<!channel> <https://evil.example|Okta> & <@U1>', principal: { name: 'A&B <x>' } }));
    const m = renderCard(card);
    expect(m.text).not.toMatch(/<!channel>|<https:|<@U1>|<x>/);
    expect(m.text).toContain('A&amp;B &lt;x&gt;');
    const texts = (m.blocks as unknown as AnyBlock[]).flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]).filter((t): t is AnyText => !!t && typeof t === 'object');
    // every text that quotes Okta data is plain_text, shown exactly as written
    expect(texts.filter((t) => t.text.includes('<!channel>'))).toEqual([expect.objectContaining({ type: 'plain_text', text: '<!channel> <https://evil.example|Okta> & <@U1>' })]);
    expect(texts.filter((t) => t.text.includes('A&B <x>')).every((t) => t.type === 'plain_text')).toBe(true);
    for (const t of texts) if (t.type === 'mrkdwn') expect(t).toMatchObject({ verbatim: true });
    for (const t of texts) if (t.type === 'mrkdwn') expect(t.text).not.toMatch(/<(?!https?:\/\/)|A&B/);
  });

  it('splits a 10,000-character note into plain_text sections of at most 3000 characters, losing nothing', () => {
    const note = `${'a&b<c> '.repeat(1400)}end`; // ~9,800 characters
    const card: Card = { ...buildDecisionCard(decision()), notes: [note] };
    const m = renderCard(card);
    expect(limitViolations(m)).toEqual([]);
    const sections = (m.blocks as unknown as AnyBlock[]).filter((b) => b.type === 'section' && b.text);
    expect(sections.length).toBeGreaterThan(3);
    expect(sections.every((s) => s.text!.type === 'plain_text')).toBe(true);
    const joined = sections.map((s) => s.text!.text).join(' ');
    expect(joined.replace(/\s+/g, ' ')).toContain('a&b<c> a&b<c>');
    expect(joined.split('a&b<c>').length - 1).toBe(1400);
    expect(joined).toContain('end');
  });

  it('clips a builder-made card with a 10,000-character note and 60-character names within every limit', () => {
    const long = 'x'.repeat(10_000);
    const card = buildDecisionCard(decision({ notes: long, principal: { name: 'N'.repeat(300) }, resource: { name: 'R'.repeat(300), type: 'GROUP' } }));
    const m = renderCard(card);
    expect(limitViolations(m)).toEqual([]);
    expect((m.blocks[0] as unknown as AnyBlock).text!.text.length).toBeLessThanOrEqual(150);
  });

  it('keeps a digest of 200 items inside 50 blocks and 3000 characters per section', () => {
    const v = digestView(200, { unlisted: 800 });
    for (const card of [buildDigestCard(v), buildDigestPartCard(v, 0), buildDigestPartCard(v, 4), buildManualDigestCard(v)!]) {
      const m = renderCard(card);
      expect(limitViolations(m)).toEqual([]);
    }
    const main = JSON.stringify(renderCard(buildDigestCard(v)).blocks);
    expect(main).toContain('Revoked (200)');
    expect(main).toContain('… and 185 more');
    expect(main).toContain('800 more item(s) are counted but not listed');
  });

  it('shortens a card with more content than 50 blocks can hold, and says so, keeping the buttons', () => {
    const card: Card = {
      ...CARDS['manual remediation (open)']!,
      facts: Array.from({ length: 600 }, (_, i) => ({ label: `Fact ${i}`, value: 'v' })),
    };
    const m = renderCard(card);
    expect(limitViolations(m)).toEqual([]);
    expect(m.blocks).toHaveLength(50);
    expect(JSON.stringify(m.blocks.at(-2))).toContain('Shortened');
    expect((m.blocks.at(-1) as unknown as AnyBlock).type).toBe('actions');
  });

  it('renders a plain-text fallback without blocks', () => {
    const m = renderPlain(CARDS.digest!);
    expect(m.blocks).toEqual([]);
    expect(m.text).toContain('Campaign digest: Q2 access review');
    expect(m.text).toContain('• User 0 · Financ');
    expect(limitViolations({ ...m, blocks: [] })).toEqual([]);
  });
});
