import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalSink } from '../../../adapters/terminal/terminal-sink.ts';
import { buildAsaCard } from '../../../src/cards/asa-card.ts';
import { buildDecisionCard } from '../../../src/cards/decision-card.ts';
import { asa, decision } from '../../helpers/records.ts';

describe('TerminalSink', () => {
  it('writes every card, separated by a blank line, to the given stream', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const sink = new TerminalSink(out);
    sink.deliver([buildDecisionCard(decision()), buildAsaCard(asa({ text: 'evil\u001b[2Jtext' }))]);
    const text = chunks.join('');
    expect(sink.name).toBe('terminal');
    expect(text.startsWith('⚠ Access revoked: Alice Example · Salesforce\n  (updates decision:ITEM1)\n')).toBe(true);
    expect(text).toContain('Left the sales team in April.\n\nℹ eviltext\n');
    expect(text.endsWith('\n\n')).toBe(true);
    expect(text).not.toContain('\u001b');
  });

  it('writes nothing for no cards', () => {
    const out = new PassThrough();
    let written = 0;
    out.on('data', (c: Buffer) => (written += c.length));
    new TerminalSink(out).deliver([]);
    expect(written).toBe(0);
  });
});
