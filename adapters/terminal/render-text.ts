/**
 * Plain-text rendering of the neutral card model for local mode (SPEC §1: cards printed to the terminal).
 * Pure. Like the chat renderers it treats every string as untrusted and neutralises it for its medium,
 * here terminal control sequences.
 */
import type { Card, Severity } from '../../src/cards/card.ts';
import { cleanBlock, cleanLine } from './sanitize.ts';

const MARKERS: Record<Severity, string> = { info: 'ℹ', success: '✔', warning: '⚠', danger: '✖' };
const INDENT = '  ';

function factLines(card: Card): string[] {
  const labels = card.facts.map((f) => `${cleanLine(f.label)}:`);
  const width = Math.max(0, ...labels.map((l) => l.length));
  return card.facts.map((f, i) => `${INDENT}${(labels[i] ?? '').padEnd(width)} ${cleanLine(f.value)}`);
}

function noteLines(card: Card): string[] {
  const lines = (card.notes ?? []).flatMap((n) => cleanBlock(n).split('\n'));
  return lines.length > 0 ? ['', ...lines.map((l) => `${INDENT}${l}`)] : [];
}

/** A digest's lists: a heading, one line per item, and how many more there are. */
function sectionLines(card: Card): string[] {
  return (card.sections ?? []).flatMap((s) => [
    '',
    `${INDENT}${cleanLine(s.title)}:`,
    ...s.lines.map((l) => `${INDENT}  • ${cleanLine(l)}`),
    ...(s.more ? [`${INDENT}  … and ${s.more} more`] : []),
  ]);
}

function actionLines(card: Card): string[] {
  const actions = card.actions ?? [];
  if (actions.length === 0) return [];
  const buttons = actions.map((a) => `[${cleanLine(a.label)}]`).join(' ');
  const values = new Set(actions.map((a) => a.value));
  // Buttons of one card usually carry the same task id: say it once.
  const ids = values.size === 1
    ? `${actions.map((a) => a.id).join(', ')}; value ${cleanLine(actions[0]?.value ?? '')}`
    : actions.map((a) => `${a.id}=${cleanLine(a.value)}`).join(', ');
  return ['', `${INDENT}${buttons}  (${ids})`];
}

/** Right under the title: where the message goes matters more than any fact. */
function placementLines(card: Card): string[] {
  const lines: string[] = [];
  if (card.threadKey) lines.push(`${INDENT}↳ reply in thread ${cleanLine(card.threadKey)}`);
  if (card.key) lines.push(`${INDENT}(updates ${cleanLine(card.key)}${card.updateOnly ? ' if it was posted' : ''})`);
  return lines;
}

export function renderCardText(card: Card): string {
  return [
    `${MARKERS[card.severity]} ${cleanLine(card.title)}`,
    ...placementLines(card),
    ...factLines(card),
    ...noteLines(card),
    ...sectionLines(card),
    ...actionLines(card),
  ].join('\n');
}
