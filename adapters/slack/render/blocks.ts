/**
 * Small Block Kit constructors that enforce the limits of limits.ts. Untrusted text goes into `plain_text`
 * objects, which Slack shows as given (mrkdwn.ts explains why); mrkdwn carries only our own words (bold
 * labels, list titles) and the links we build, with anything quoted in them neutralised.
 */
import type { types } from '@slack/bolt';
import { linkUrl, type CardAction, type CardLink } from '../../../src/cards/card.ts';
import { clip } from '../../../src/cards/format.ts';
import { inertBlock, inertLine } from '../../../src/cards/untrusted-text.ts';
import { SLACK_LIMITS as L } from './limits.ts';
import { escapeMrkdwn, neutralClipped, splitText } from './mrkdwn.ts';

export type Block = types.KnownBlock;

/**
 * Untrusted text as plain_text: one line (`inertLine`) unless `block`, clipped to `max`. `emoji: false`:
 * a `:white_check_mark:` in a name stays those characters instead of drawing our own status marks.
 */
export function plainText(text: string, max: number, block = false): types.PlainTextElement {
  const shown = clip(block ? inertBlock(text) : inertLine(text).trim(), max);
  // Slack refuses an empty text; a space keeps the element without inventing words
  return { type: 'plain_text', text: shown.trim() === '' ? ' ' : shown, emoji: false };
}

/** plain_text is shown as given (no mrkdwn): the title of a card or an answer, one line */
export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plainText(text, L.headerText) };
}

/** `verbatim: true`: Slack must not turn bare URLs or channel names into links or mentions */
export function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A small grey line of our own words, already escaped mrkdwn. */
export function context(...escapedParts: string[]): types.ContextBlock {
  return { type: 'context', elements: escapedParts.slice(0, L.contextElements).map(mrkdwn) };
}

/** A small grey line that quotes untrusted text (a time Okta sent, a count line): plain_text. */
export function plainContext(text: string, ...escapedParts: string[]): types.ContextBlock {
  return { type: 'context', elements: [plainText(text, L.sectionText), ...escapedParts.slice(0, L.contextElements - 1).map(mrkdwn)] };
}

/**
 * Label/value pairs in Slack's two-column fields: the label (ours) as bold mrkdwn, the value (untrusted) as
 * plain_text beside it, so a value can neither format itself nor start a line. Five pairs per section.
 */
export function fieldSections(pairs: ReadonlyArray<{ label: string; value: string }>): types.SectionBlock[] {
  const sections: types.SectionBlock[] = [];
  const perSection = Math.floor(L.fieldsPerSection / 2);
  for (let i = 0; i < pairs.length; i += perSection) {
    const fields = pairs.slice(i, i + perSection).flatMap(({ label, value }) => [
      mrkdwn(`*${neutralClipped(label, 100)}*`),
      plainText(value, L.fieldText),
    ]);
    sections.push({ type: 'section', fields });
  }
  return sections;
}

/** Free text (a note) as plain_text sections of at most 3000 characters each, its line breaks kept. */
export function textSections(text: string): types.SectionBlock[] {
  return splitText(inertBlock(text), L.sectionText).map((piece) => ({ type: 'section', text: plainText(piece, L.sectionText, true) }));
}

/**
 * Lines of untrusted text (answer rows, a list's items), one per line, in as few plain_text sections as
 * 3000 characters per section allow; each line is made one line and cut to `maxLine`.
 */
export function lineSections(lines: readonly string[], maxLine: number, bullet = ''): types.SectionBlock[] {
  const out: types.SectionBlock[] = [];
  let cur = '';
  for (const raw of lines) {
    const l = bullet + plainText(raw, Math.min(maxLine, L.sectionText - bullet.length)).text;
    if (cur && cur.length + l.length + 1 > L.sectionText) {
      out.push({ type: 'section', text: plainText(cur, L.sectionText, true) });
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push({ type: 'section', text: plainText(cur, L.sectionText, true) });
  return out;
}

/** A titled bullet list: the title bold (ours, neutralised all the same), the items as plain_text. */
export function listSections(title: string, lines: readonly string[]): types.SectionBlock[] {
  return [
    { type: 'section', text: mrkdwn(`*${neutralClipped(title, 200)}*`) },
    ...lineSections(lines, L.sectionText - 10, '• '),
  ];
}

/**
 * A link we built (CardLink) as a real mrkdwn link `<url|words>`. Only http(s) URLs; `|` and `>` cannot end
 * up inside the URL part (URL serialisation percent-encodes `<`, `>` and spaces; `|` is encoded here), and
 * the words are neutralised like any quoted text. undefined for a URL that is not one.
 */
export function linkText(link: CardLink): string | undefined {
  const url = linkUrl(link);
  if (!url) return undefined;
  const href = url.href.replace(/\|/g, '%7C').replace(/[<>]/g, encodeURIComponent);
  return `<${href}|${neutralClipped(link.label, 200).replace(/\|/g, '\u2223')}>`;
}

/** The card's links, one per line, in one mrkdwn section (nothing when there is no valid link). */
export function linkSections(links: readonly CardLink[]): types.SectionBlock[] {
  let text = '';
  for (const line of links.map(linkText)) {
    // whole links only: a link cut in half would show its syntax
    if (line === undefined || text.length + line.length + 1 > L.sectionText) continue;
    text = text ? `${text}\n${line}` : line;
  }
  return text ? [{ type: 'section', text: mrkdwn(text) }] : [];
}

/**
 * The card's buttons (SPEC §5): action_id is the ActionId, value the task id, so the follow-up handlers
 * (`app.action('oig_manual_claim', …)`) receive exactly what the neutral card says.
 */
export function actions(list: readonly CardAction[]): types.ActionsBlock {
  return {
    type: 'actions',
    elements: list.slice(0, L.actionsElements).map((a): types.Button => ({
      type: 'button',
      action_id: a.id,
      text: { type: 'plain_text', text: clip(inertLine(a.label), L.buttonText), emoji: true },
      value: clip(a.value, L.buttonValue),
      ...(a.style ? { style: a.style } : {}),
    })),
  };
}

export { escapeMrkdwn };
