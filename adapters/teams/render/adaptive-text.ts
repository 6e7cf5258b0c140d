/**
 * Untrusted text (Okta names, notes, answer lines) into an Adaptive Card so that it shows as written and
 * does nothing else: no link, mention, list, heading, bold or italic can come from it (SPEC §5).
 *
 * Teams interprets a Markdown subset in TextBlock text and in FactSet titles and values ("Format cards in
 * Teams", learn.microsoft.com), and clients disagree on backslash escapes: older mobile clients showed the
 * backslashes (microsoft/AdaptiveCards#5590, Teams-AdaptiveCards-Mobile#58). A TextRun inside a
 * RichTextBlock interprets no Markdown at all. So untrusted text goes into TextRuns (`paragraphs`, `line`),
 * and only fact values, where a FactSet's two-column layout is worth it, are escaped (`escapeMarkdown`):
 * at worst a client shows a stray backslash, never a link.
 *
 * Mentions need an `<at>` tag *and* a matching msteams entity, which these cards never carry; `<` and `>`
 * are escaped in fact values all the same.
 */
import { clip } from '../../../src/cards/format.ts';
import { inertBlock, inertLine } from '../../../src/cards/untrusted-text.ts';
import type { RichTextBlock, Spacing, TextRun } from './adaptive-card-types.ts';

/**
 * Controls, bidi overrides and invisible characters removed, tabs turned into spaces, every line break into
 * "\n" (src/cards/untrusted-text.ts says which and why; shared with Slack and the terminal).
 */
export function cleanText(text: string): string {
  return inertBlock(text);
}

/** `cleanText`, then every run of whitespace that holds a line break becomes one space. */
export function oneLine(text: string): string {
  return inertLine(text);
}

/** At most `max` characters, ending with "…" when cut; never splits a surrogate pair. */
export function clipText(text: string, max: number): string {
  return clip(text, max);
}

// Characters that start Markdown wherever they stand in CommonMark, which Teams' subset follows: emphasis,
// strikethrough, code, link and image brackets, headings, tags and entities (`<at>`, `&lt;`), table pipes, and
// the `{{DATE(…)}}` functions of Adaptive Cards. All are ASCII punctuation, which a backslash may escape.
const MARKS = /[\\`*_~{}[\]#<>|&]/g;
// Marks that only count at the start of a line: list bullets, setext underlines, ordered-list numbers.
// Parentheses and "!" are left alone elsewhere: without an unescaped "[" they cannot form a link or image,
// and they are common in Okta values ("Salesforce (APPLICATION)"), where a stray backslash would show.
const LINE_START = /^(\s*)([-+=]|\d+[.)])/gm;

/** Backslash-escapes Markdown so that `text` shows literally in a TextBlock or a Fact. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKS, (c) => `\\${c}`)
    .replace(LINE_START, (_, indent: string, mark: string) => `${indent}${mark.slice(0, -1)}\\${mark.slice(-1)}`);
}

/** A fact title or value: one line, clipped, escaped. */
export function factText(text: string, max: number): string {
  return escapeMarkdown(clipText(oneLine(text), max));
}

type RunStyle = Omit<TextRun, 'type' | 'text'>;

/** One line of untrusted text as one RichTextBlock (no Markdown: shown as written). */
export function line(text: string, max: number, style: RunStyle = {}, spacing: Spacing = 'None'): RichTextBlock {
  const shown = clipText(oneLine(text).trim(), max);
  // an empty TextRun is not valid; a space keeps the line without inventing text
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: shown || ' ', ...style }], spacing };
}

/**
 * Free text (a note) as one RichTextBlock per non-empty line: whether a "\n" inside a TextRun breaks the
 * line differs between Teams clients, separate blocks do not. The first block gets `spacing`.
 */
export function paragraphs(text: string, max: number, style: RunStyle = {}, spacing: Spacing = 'Default'): RichTextBlock[] {
  const lines = cleanText(clipText(text, max)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.map((l, i) => ({
    type: 'RichTextBlock',
    inlines: [{ type: 'TextRun', text: l, ...style }],
    spacing: i === 0 ? spacing : 'None',
  }));
}
