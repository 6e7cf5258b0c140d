/**
 * Which cards the gallery shows: one of every card kind the code knows (`KIND_LABELS` is keyed by CardKind,
 * so a new kind cannot compile without a label, and `CARD_KINDS` follows it), each taken from what the real
 * pipeline made of the demo's sample events (demo-cards.ts), plus the three states of a task card.
 *
 * The demo stays below the digest threshold on purpose and its events are fresh, so two kinds come from the
 * same stored records routed once more through the real stages with one setting changed: the digest stage
 * with a threshold of 0 (as if the campaign's decisions had arrived in a burst), and the catch-up stage
 * with every record marked late (as if they had been backfilled from the System Log).
 */
import type { Card, CardKind } from '../../cards/card.ts';
import { KIND_LABELS } from '../../cards/labels.ts';
import { CatchUpStage } from '../../delivery/catch-up.ts';
import { DigestStage, type RoutedRecord } from '../../delivery/digest.ts';
import { cardsFor } from '../../route/route.ts';
import type { DemoRun } from './demo-cards.ts';

/** every card kind, from the code */
export const CARD_KINDS = Object.keys(KIND_LABELS) as CardKind[];

export interface GalleryEntry {
  /** file-name stem of the pictures: `decision`, `manual_remediation-claimed` */
  id: string;
  kind: CardKind;
  /** what the gallery page calls it */
  name: string;
  card: Card;
}

/** the last version of each message key, in order of first appearance (what a channel shows in the end) */
function finalVersions(cards: readonly Card[]): Card[] {
  const byKey = new Map<string, Card>();
  cards.forEach((c, i) => byKey.set(c.key ?? `unkeyed:${i}`, c));
  return [...byKey.values()];
}

function rerouted(run: DemoRun): RoutedRecord[] {
  return run.records.map((record) => ({ record, cards: cardsFor(record, run.ctx) }));
}

/** the demo campaign as a digest: the digest, its first detail reply and the manual-remediation digest */
function digestCards(run: DemoRun): Card[] {
  const stage = new DigestStage({ threshold: 0 });
  const certification = rerouted(run).filter((r) => r.record.family === 'certification');
  return stage.process(certification, run.ctx).filter((c) => c.kind === 'digest');
}

/** the demo's events as if they had all been old on arrival: one "caught up" summary per family */
function catchUpCards(run: DemoRun): Card[] {
  const late = rerouted(run).map(({ record, cards }) => ({ record: { ...record, late: true as const }, cards }));
  return new CatchUpStage().process(late).summaries;
}

const entry = (card: Card, variant?: string, name?: string): GalleryEntry => ({
  id: variant ? `${card.kind}-${variant}` : card.kind,
  kind: card.kind,
  name: name ?? KIND_LABELS[card.kind],
  card,
});

/**
 * One entry per kind (the message that shows most: the demo's last message of that kind, whose card has
 * gone through its updates), the task card's three states, and the digest's companion messages.
 */
export function galleryEntries(run: DemoRun): GalleryEntry[] {
  const shown = [...finalVersions(run.cards), ...digestCards(run), ...catchUpCards(run)];
  const entries: GalleryEntry[] = [];
  for (const kind of CARD_KINDS) {
    if (kind === 'manual_remediation') {
      entries.push(
        entry(run.task.open, 'open', 'Manual remediation task (open)'),
        entry(run.task.claimed, 'claimed', 'Manual remediation task (claimed)'),
        entry(run.task.done, 'done', 'Manual remediation task (done)'),
      );
      continue;
    }
    const ofKind = shown.filter((c) => c.kind === kind);
    if (kind === 'digest') {
      // the main digest message first, then its detail reply and its manual-remediation list
      const [main, ...replies] = ofKind;
      if (main) entries.push(entry(main));
      replies.slice(0, 2).forEach((c, i) => entries.push(entry(c, `reply-${i + 1}`, `${KIND_LABELS.digest}: ${c.title}`)));
      continue;
    }
    // a catch-up of the certification family says more than the one of a lone rate-limit warning
    const chosen = (kind === 'catch_up' ? ofKind.find((c) => c.family === 'CERTIFICATION') : undefined) ?? ofKind.at(-1);
    if (chosen) entries.push(entry(chosen));
  }
  return entries;
}

/** the kinds with no entry: the gallery refuses to be written while any is missing */
export function missingKinds(entries: readonly GalleryEntry[]): CardKind[] {
  const have = new Set(entries.map((e) => e.kind));
  return CARD_KINDS.filter((k) => !have.has(k));
}
