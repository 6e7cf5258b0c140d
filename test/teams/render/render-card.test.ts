import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { renderCard, renderPlainText } from '../../../adapters/teams/render/render-card.ts';
import type { Card } from '../../../src/cards/card.ts';
import { buildDecisionCard } from '../../../src/cards/decision-card.ts';
import { buildDigestCard, buildDigestPartCard, buildManualDigestCard } from '../../../src/cards/digest-card.ts';
import { decision } from '../../helpers/records.ts';
import { digestView, sampleCards } from '../../helpers/sample-cards.ts';
import { VERBS, cardViolations, runsOf } from './card-checks.ts';

const CARDS: Record<string, Card> = sampleCards();

describe('renderCard (snapshots, one per card kind)', () => {
  for (const [name, card] of Object.entries(CARDS)) {
    it(`renders ${name}`, () => {
      const ac = renderCard(card);
      expect(cardViolations(ac)).toEqual([]);
      expect(ac).toMatchSnapshot();
    });
  }
});

describe('renderCard specifics', () => {
  it('is an Adaptive Card 1.5 at full width, titled with the severity marker and colour and the kind line', () => {
    const ac = renderCard(CARDS['decision (REVOKE)']!);
    expect(ac).toMatchObject({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', msteams: { width: 'Full' } });
    const [title, kind] = runsOf(ac);
    expect(title).toEqual({ type: 'TextRun', text: '⚠️ Access revoked: Alice Example · Salesforce', weight: 'Bolder', size: 'Large', color: 'Warning' });
    expect(kind).toEqual({ type: 'TextRun', text: 'Access certification decision · 2024-05-02 09:30:00 UTC', isSubtle: true, size: 'Small' });
    expect(runsOf(renderCard(CARDS['manual remediation (done)']!))[0]).toMatchObject({ text: expect.stringMatching(/^✅ Manually remediated/), color: 'Good' });
    expect(runsOf(renderCard(CARDS['manual remediation (claimed)']!))[0]).toMatchObject({ color: 'Warning' });
  });

  it('renders the facts as one FactSet, in order', () => {
    const ac = renderCard(CARDS['decision (REVOKE)']!);
    const sets = ac.body.filter((e) => e.type === 'FactSet');
    expect(sets).toHaveLength(1);
    const facts = sets[0]!.type === 'FactSet' ? sets[0]!.facts : [];
    expect(facts.map((f) => f.title)).toEqual(CARDS['decision (REVOKE)']!.facts.map((f) => f.label));
    expect(facts.find((f) => f.title === 'Principal')?.value).toBe('Alice Example (alice@example.com)');
    expect(facts.find((f) => f.title === 'Decided at')?.value).toBe('2024-05-02 09:30:00 UTC');
  });

  it('gives the manual-remediation buttons per task state as Action.Execute with verb = ActionId and data.taskId', () => {
    const buttons = (c: Card) => (renderCard(c).actions ?? []).map((a) => (a.type === 'Action.Execute' ? [a.type, a.verb, a.title, a.data, a.style] : [a.type]));
    const t = { taskId: 'item:ITEM1' };
    expect(buttons(CARDS['manual remediation (open)']!)).toEqual([
      ['Action.Execute', 'oig_manual_claim', 'Claim', t, 'positive'],
      ['Action.Execute', 'oig_manual_done', 'Mark done', t, undefined],
      ['Action.Execute', 'oig_manual_verify', 'Verify in Okta', t, undefined],
    ]);
    expect(buttons(CARDS['manual remediation (claimed)']!)).toEqual([
      ['Action.Execute', 'oig_manual_done', 'Mark done', t, 'positive'],
      ['Action.Execute', 'oig_manual_verify', 'Verify in Okta', t, undefined],
      ['Action.Execute', 'oig_manual_reopen', 'Reopen', t, undefined],
    ]);
    expect(buttons(CARDS['manual remediation (done)']!)).toEqual([
      ['Action.Execute', 'oig_manual_verify', 'Verify in Okta', t, undefined],
      ['Action.Execute', 'oig_manual_reopen', 'Reopen', t, undefined],
    ]);
    const all = new Set(['open', 'claimed', 'done'].flatMap((s) => (renderCard(CARDS[`manual remediation (${s})`]!).actions ?? []).map((a) => (a.type === 'Action.Execute' ? a.verb : a.type))));
    expect([...all].sort()).toEqual(VERBS);
    // style is omitted, not undefined, when the button has none (Teams validates the JSON it gets)
    expect(JSON.stringify(renderCard(CARDS['manual remediation (done)']!).actions)).not.toContain('style');
    expect(renderCard(CARDS['decision (REVOKE)']!).actions).toBeUndefined();
  });

  it('maps a danger button to a destructive action', () => {
    const card: Card = { ...CARDS['manual remediation (done)']!, actions: [{ id: 'oig_manual_reopen', label: 'Reopen', value: 'item:X', style: 'danger' }] };
    expect(renderCard(card).actions).toEqual([{ type: 'Action.Execute', title: 'Reopen', verb: 'oig_manual_reopen', data: { taskId: 'item:X' }, style: 'destructive' }]);
  });

  it('keeps hostile Okta text inert: notes and lines are TextRuns, fact values are escaped', () => {
    const hostile = '**x** [click](https://evil) <at>Everyone</at> # H';
    const base = buildDecisionCard(decision({ notes: hostile, principal: { name: '1. _A_ <at>B</at>' } }));
    const card: Card = { ...base, sections: [{ title: '# Items', lines: [hostile, '- item', '1. first'] }] };
    const ac = renderCard(card);
    expect(cardViolations(ac)).toEqual([]);
    const runs = runsOf(ac).map((r) => r.text);
    // TextRuns show text as written, so the text is kept exactly (no backslashes to see)
    expect(runs).toContain(hostile);
    expect(runs).toContain(`• ${hostile}`);
    expect(runs).toContain('• - item');
    expect(runs).toContain('# Items');
    const principal = ac.body.flatMap((e) => (e.type === 'FactSet' ? e.facts : [])).find((f) => f.title === 'Principal')!;
    expect(principal.value).toBe('1\\. \\_A\\_ \\<at\\>B\\</at\\>');
    // the notification line is plain text, clipped to one line
    expect(renderPlainText(card)).toContain('Principal: 1. _A_ <at>B</at> · ');
  });

  it('strips control and bidi-override characters from what is shown', () => {
    const card: Card = { ...CARDS['decision (REVOKE)']!, notes: ['evil\u202eexe.txt\u0007 and\r\nnext line'] };
    const runs = runsOf(renderCard(card)).map((r) => r.text);
    expect(runs).toContain('evilexe.txt and');
    expect(runs).toContain('next line');
  });

  it('clips a 10,000-character note, fact and line', () => {
    const long = 'x'.repeat(10_000);
    const card: Card = { ...CARDS['decision (REVOKE)']!, facts: [{ label: 'Long', value: long }], notes: [long], sections: [{ title: 'S', lines: [long] }] };
    const ac = renderCard(card);
    expect(cardViolations(ac)).toEqual([]);
    const lengths = runsOf(ac).map((r) => r.text.length);
    expect(lengths).toContain(2000);
    expect(lengths).toContain(500);
    expect(ac.body.flatMap((e) => (e.type === 'FactSet' ? e.facts : []))[0]!.value).toHaveLength(1000);
  });

  it('keeps a huge digest within 24,000 bytes, dropping lines from the end and saying how many', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `User ${i} · Ærøskøbing-Ünïcödé group ${'·'.repeat(60)} — SKIPPED`);
    const card: Card = { ...buildDigestCard(digestView(200, { unlisted: 800 })), sections: [{ title: 'Items (400)', lines, more: 600 }] };
    const ac = renderCard(card);
    expect(cardViolations(ac)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(ac))).toBeGreaterThan(20_000); // filled, not emptied
    const runs = runsOf(ac).map((r) => r.text);
    const shown = runs.filter((t) => t.startsWith('• User ')).length;
    expect(shown).toBeGreaterThan(50);
    expect(shown).toBeLessThan(400);
    // the lines kept are the first ones, in order; the "… and 600 more" line was dropped too
    expect(runs.filter((t) => t.startsWith('• User ')).at(-1)).toContain(`User ${shown - 1} `);
    expect(runs.at(-1)).toBe(`Shortened: ${400 - shown + 1} more line(s) did not fit in one Teams message.`);
    // the facts and the notes, before the lines, were all kept
    expect(ac.body.find((e) => e.type === 'FactSet')).toBeDefined();
    expect(runs.some((t) => t.includes('800 more item(s) are counted but not listed'))).toBe(true);
  });

  it('keeps the buttons, and the facts that fit as one FactSet, when 600 long facts do not', () => {
    const card: Card = { ...CARDS['manual remediation (open)']!, facts: Array.from({ length: 600 }, (_, i) => ({ label: `Fact ${i}`, value: 'v'.repeat(900) })) };
    const ac = renderCard(card);
    expect(cardViolations(ac)).toEqual([]);
    const sets = ac.body.filter((e) => e.type === 'FactSet');
    expect(sets).toHaveLength(1);
    const kept = sets[0]!.type === 'FactSet' ? sets[0]!.facts.length : 0;
    expect(kept).toBeGreaterThan(10);
    const notes = CARDS['manual remediation (open)']!.notes!.length;
    expect(runsOf(ac).at(-1)!.text).toBe(`Shortened: ${600 - kept + notes} more line(s) did not fit in one Teams message.`);
    expect(ac.actions!.map((a) => (a.type === 'Action.Execute' ? a.verb : a.type))).toEqual(['oig_manual_claim', 'oig_manual_done', 'oig_manual_verify']);
  });

  it('does not shorten a digest of 200 items as the builders make it', () => {
    const v = digestView(200, { unlisted: 800 });
    for (const card of [buildDigestCard(v), buildDigestPartCard(v, 0), buildDigestPartCard(v, 4), buildManualDigestCard(v)!]) {
      const ac = renderCard(card);
      expect(cardViolations(ac)).toEqual([]);
      expect(JSON.stringify(ac)).not.toContain('Shortened');
    }
    const main = runsOf(renderCard(buildDigestCard(v))).map((r) => r.text);
    expect(main).toContain('Revoked (200)');
    expect(main).toContain('… and 185 more');
  });

  it('renders a one-line notification text of title and three facts, at most 1000 characters', () => {
    expect(renderPlainText(CARDS['decision (REVOKE)']!)).toBe(
      '⚠️ Access revoked: Alice Example · Salesforce — Principal: Alice Example (alice@example.com) · Resource: Salesforce (APPLICATION) · Campaign: Q2 access review',
    );
    const long: Card = { ...CARDS.digest!, title: 'T\n'.repeat(2000) };
    const text = renderPlainText(long);
    expect(text.length).toBe(1000);
    expect(text).not.toContain('\n');
  });
});
