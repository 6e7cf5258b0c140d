/**
 * Small Block Kit constructors that enforce the limits of limits.ts. Every `text` handed to the mrkdwn
 * helpers here is untrusted and gets escaped; labels we write ourselves are escaped too (cheap, and safe).
 */
import type { types } from '@slack/bolt';
import type { CardAction } from '../../../src/cards/card.ts';
import { clip } from '../../../src/cards/format.ts';
import { SLACK_LIMITS as L } from './limits.ts';
import { escapeClipped, escapeMrkdwn, escapeSplit } from './mrkdwn.ts';

export type Block = types.KnownBlock;

/** plain_text is shown as given (no mrkdwn), so it needs clipping only */
export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, L.headerText), emoji: true } };
}

/** `verbatim: true`: Slack must not turn bare URLs or channel names from Okta data into links or mentions */
function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function context(...escapedParts: string[]): types.ContextBlock {
  return { type: 'context', elements: escapedParts.slice(0, L.contextElements).map(mrkdwn) };
}

/** Label/value pairs as two-column fields, ten per section. */
export function fieldSections(pairs: ReadonlyArray<{ label: string; value: string }>): types.SectionBlock[] {
  const sections: types.SectionBlock[] = [];
  for (let i = 0; i < pairs.length; i += L.fieldsPerSection) {
    const fields = pairs.slice(i, i + L.fieldsPerSection).map(({ label, value }) => {
      const head = `*${escapeClipped(label, 100)}*\n`;
      return mrkdwn(head + escapeClipped(value, L.fieldText - head.length));
    });
    sections.push({ type: 'section', fields });
  }
  return sections;
}

/** Free text as one or more sections of at most 3000 characters each. */
export function textSections(text: string): types.SectionBlock[] {
  return escapeSplit(text, L.sectionText).map((piece) => ({ type: 'section', text: mrkdwn(piece) }));
}

/** A titled bullet list, split into sections at line boundaries so no section passes 3000 characters. */
export function listSections(title: string, lines: readonly string[]): types.SectionBlock[] {
  const sections: types.SectionBlock[] = [];
  let cur = `*${escapeClipped(title, 200)}*`;
  for (const line of lines) {
    const bullet = `\n• ${escapeClipped(line, L.sectionText - 10)}`;
    if (cur.length + bullet.length > L.sectionText) {
      sections.push({ type: 'section', text: mrkdwn(cur) });
      cur = bullet.slice(1);
    } else {
      cur += bullet;
    }
  }
  sections.push({ type: 'section', text: mrkdwn(cur) });
  return sections;
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
      text: { type: 'plain_text', text: clip(a.label, L.buttonText), emoji: true },
      value: clip(a.value, L.buttonValue),
      ...(a.style ? { style: a.style } : {}),
    })),
  };
}

export { escapeMrkdwn };
