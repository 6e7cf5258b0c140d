/**
 * Checks shared by the Teams renderer tests: what every rendered card must satisfy (size, version, inert
 * text). Kept out of the test files so importing them does not run (and snapshot) those tests twice.
 */
import { Buffer } from 'node:buffer';
import type { AdaptiveCard, CardElement, TextRun } from '../../../adapters/teams/render/adaptive-card-types.ts';

export const VERBS = ['oig_manual_claim', 'oig_manual_done', 'oig_manual_reopen', 'oig_manual_verify'];

/**
 * Markdown marks a Teams Markdown parser could act on: a mark character not preceded by a backslash, or an
 * unescaped list / setext marker at a line start.
 */
export function unescapedMarks(s: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') i += 1;
    else if ('`*_~{}[]#<>|&'.includes(c)) found.push(c);
  }
  const start = /^\s*([-+=]|\d+[.)])/m.exec(s);
  if (start) found.push(`line start ${start[1]}`);
  return found;
}

/** every element of the body, a Container's items included (a task row of an answer) */
export function elementsOf(card: AdaptiveCard): CardElement[] {
  const all = (e: CardElement): CardElement[] => (e.type === 'Container' ? e.items.flatMap(all) : [e]);
  return card.body.flatMap(all);
}

export function runsOf(card: AdaptiveCard): TextRun[] {
  return elementsOf(card).flatMap((e: CardElement) => (e.type === 'RichTextBlock' ? e.inlines : []));
}

/** what a card promises Teams and the reader; returns the violations */
export function cardViolations(card: AdaptiveCard): string[] {
  const bad: string[] = [];
  const json = JSON.stringify(card);
  if (json.length > 24_000) bad.push(`${json.length} characters`);
  if (Buffer.byteLength(json) > 24_000) bad.push(`${Buffer.byteLength(json)} bytes`);
  if (card.version !== '1.5' || card.type !== 'AdaptiveCard') bad.push('not an Adaptive Card 1.5');
  for (const e of elementsOf(card)) {
    if (e.type === 'ActionSet') {
      for (const a of e.actions) {
        if (a.type === 'Action.Execute' && !VERBS.includes(a.verb)) bad.push(`verb ${a.verb} in the body`);
        if (a.type === 'Action.OpenUrl' && !/^https?:\/\//.test(a.url)) bad.push(`link to ${a.url}`);
      }
    } else if (e.type === 'FactSet') {
      for (const f of e.facts) {
        for (const t of [f.title, f.value]) if (unescapedMarks(t).length > 0) bad.push(`markdown in fact ${JSON.stringify(t)}`);
      }
    } else if (e.type !== 'RichTextBlock') bad.push(`unexpected element ${(e as { type: string }).type}`);
  }
  for (const r of runsOf(card)) {
    if (r.text.length === 0) bad.push('empty TextRun');
    if (/[\u0000-\u0008\u000b-\u001f\u202a-\u202e]/.test(r.text)) bad.push(`control character in ${JSON.stringify(r.text)}`);
  }
  for (const a of card.actions ?? []) if (a.type === 'Action.Execute' && !VERBS.includes(a.verb) && a.verb !== 'oig_more') bad.push(`verb ${a.verb}`);
  return bad;
}

