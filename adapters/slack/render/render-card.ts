/**
 * Card → Slack message (SPEC §5): a pure function from the neutral card model to `{ text, blocks }`, the
 * arguments of chat.postMessage / chat.update. One layout serves every card kind — header with a severity
 * marker, a context line naming the kind and time, the facts as fields, notes, a digest's lists, buttons —
 * because the builders already decided what each kind says; only the kind's name differs.
 *
 * `text` is the notification line and the fallback for clients that cannot show blocks (Slack asks for it
 * whenever blocks are sent); it is escaped like everything else.
 */
import type { Card } from '../../../src/cards/card.ts';
import { clip, timeText } from '../../../src/cards/format.ts';
import { KIND_LABELS, SEVERITY_MARKERS } from '../../../src/cards/labels.ts';
import { actions, context, escapeMrkdwn, fieldSections, header, listSections, textSections, type Block } from './blocks.ts';
import { SLACK_LIMITS as L } from './limits.ts';
import { escapeClipped } from './mrkdwn.ts';

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** header, context, a possible "shortened" notice and the actions block are always kept */
const RESERVED_BLOCKS = 4;

function bodyBlocks(card: Card): Block[] {
  const blocks: Block[] = [...fieldSections(card.facts)];
  for (const note of card.notes ?? []) blocks.push(...textSections(note));
  for (const s of card.sections ?? []) {
    blocks.push(...listSections(s.title, s.lines));
    if (s.more) blocks.push(context(`… and ${s.more} more`));
  }
  return blocks;
}

function fallbackText(card: Card): string {
  const summary = card.facts.slice(0, 3).map((f) => `${f.label}: ${f.value}`).join(' · ');
  const raw = `${SEVERITY_MARKERS[card.severity]} ${card.title}${summary ? ` — ${summary}` : ''}`;
  return escapeClipped(raw, 1000);
}

export function renderCard(card: Card): SlackMessage {
  const when = timeText(card.at);
  const blocks: Block[] = [
    header(`${SEVERITY_MARKERS[card.severity]} ${card.title}`),
    context(escapeMrkdwn(KIND_LABELS[card.kind] + (when ? ` · ${when}` : ''))),
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
  const lines = [
    `${SEVERITY_MARKERS[card.severity]} ${card.title}`,
    ...card.facts.map((f) => `${f.label}: ${f.value}`),
    ...(card.notes ?? []),
    ...(card.sections ?? []).flatMap((s) => [s.title, ...s.lines.map((l) => `• ${l}`), ...(s.more ? [`… and ${s.more} more`] : [])]),
  ];
  return { text: escapeClipped(clip(lines.join('\n'), L.fallbackText * 2), L.fallbackText), blocks: [] };
}
