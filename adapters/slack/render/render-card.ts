/**
 * Card → Slack message (SPEC §5): a pure function from the neutral card model to `{ text, blocks }`, the
 * arguments of chat.postMessage / chat.update. One layout serves every card kind — header with a severity
 * marker, a context line naming the kind and time, the facts as fields, notes, a digest's lists, buttons —
 * because the builders already decided what each kind says; only the kind's name differs.
 *
 * `text` is the notification line and the fallback for clients that cannot show blocks (Slack asks for it
 * whenever blocks are sent). Slack reads it as mrkdwn and offers no plain form for it, so the untrusted text
 * in it is neutralised (mrkdwn.ts); inside the blocks untrusted text is plain_text (blocks.ts).
 */
import type { Card } from '../../../src/cards/card.ts';
import { timeText } from '../../../src/cards/format.ts';
import { KIND_LABELS, SEVERITY_MARKERS } from '../../../src/cards/labels.ts';
import { inertBlock, inertLine } from '../../../src/cards/untrusted-text.ts';
import { actions, context, fieldSections, header, linkSections, linkText, listSections, plainContext, textSections, type Block } from './blocks.ts';
import { SLACK_LIMITS as L } from './limits.ts';
import { neutralClipped, neutralLine, neutralMrkdwn } from './mrkdwn.ts';

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** header, context, a possible "shortened" notice and the actions block are always kept */
const RESERVED_BLOCKS = 4;

function bodyBlocks(card: Card): Block[] {
  const blocks: Block[] = [...fieldSections(card.facts)];
  for (const note of card.notes ?? []) blocks.push(...textSections(note));
  blocks.push(...linkSections(card.links ?? []));
  for (const s of card.sections ?? []) {
    blocks.push(...listSections(s.title, s.lines));
    if (s.more) blocks.push(context(`… and ${s.more} more`));
  }
  return blocks;
}

function fallbackText(card: Card): string {
  const summary = card.facts.slice(0, 3).map((f) => `${f.label}: ${inertLine(f.value)}`).join(' · ');
  return neutralClipped(`${SEVERITY_MARKERS[card.severity]} ${inertLine(card.title)}${summary ? ` — ${summary}` : ''}`, 1000);
}

export function renderCard(card: Card): SlackMessage {
  const when = timeText(card.at);
  const blocks: Block[] = [
    header(`${SEVERITY_MARKERS[card.severity]} ${card.title}`),
    // the time is Okta's when it could not be read as one: plain_text
    plainContext(KIND_LABELS[card.kind] + (when ? ` · ${when}` : '')),
  ];
  const body = bodyBlocks(card);
  const room = L.blocksPerMessage - RESERVED_BLOCKS;
  blocks.push(...body.slice(0, room));
  if (body.length > room) {
    blocks.push(context(`Shortened: ${body.length - room} more part(s) did not fit in one Slack message.`));
  }
  if (card.actions && card.actions.length > 0) blocks.push(actions(card.actions));
  return { text: fallbackText(card), blocks };
}

/**
 * The same card as text only: what is sent when Slack refused the blocks (`invalid_blocks`), so a card that
 * trips a limit we did not foresee still arrives, readable if plain.
 */
export function renderPlain(card: Card): SlackMessage {
  // every untrusted part made one line (a note keeps its lines) and neutralised before the lines are joined
  const lines = [
    `${SEVERITY_MARKERS[card.severity]} ${neutralClipped(card.title, 300)}`,
    ...card.facts.map((f) => `*${neutralLine(f.label)}:* ${neutralLine(f.value)}`),
    ...(card.notes ?? []).map((n) => neutralMrkdwn(inertBlock(n))),
    ...(card.links ?? []).map(linkText).filter((l): l is string => l !== undefined),
    ...(card.sections ?? []).flatMap((s) => [`*${neutralLine(s.title)}*`, ...s.lines.map((l) => `• ${neutralLine(l)}`), ...(s.more ? [`… and ${s.more} more`] : [])]),
  ];
  return { text: clipLines(lines, L.fallbackText), blocks: [] };
}

/**
 * Whole lines while they fit in `max` (a cut line could leave half an entity or half a link), then "…".
 * The first line (the title, clipped above) always fits.
 */
function clipLines(lines: readonly string[], max: number): string {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > max - 2) return `${text}\n…`;
    text = next;
  }
  return text;
}
