/**
 * The catch-up stage, first after routing (issue 11: history is stored, not shouted). Records marked `late`
 * on arrival (src/intake/history.ts) lose their cards here; instead each source and family gets one
 * "caught up N events from … to …, M notable" message (src/cards/catch-up-card.ts), updated in place
 * while the run continues. A run ends after `idleMs` without late events of its kind; the next one is a new
 * message. Nothing is summarised when none of the events would have been a card (a quiet catch-up of
 * routine logins says nothing).
 *
 * State lives in memory: after a restart a catch-up in progress continues in a new summary message.
 */
import { buildCatchUpCard, type CatchUpView } from '../cards/catch-up-card.ts';
import type { Card } from '../cards/card.ts';
import { KIND_LABELS } from '../cards/labels.ts';
import type { RoutedRecord } from './digest.ts';

export interface CatchUpOptions {
  idleMs: number;
  now: () => number;
}

const DEFAULTS: CatchUpOptions = { idleMs: 120_000, now: Date.now };

interface Run {
  view: CatchUpView;
  lastSeen: number;
}

export class CatchUpStage {
  private readonly o: CatchUpOptions;
  private readonly runs = new Map<string, Run>();

  constructor(options: Partial<CatchUpOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** the batch without the late records' cards, and the summary versions that replace them */
  process(batch: readonly RoutedRecord[]): { routed: RoutedRecord[]; summaries: Card[] } {
    const now = this.o.now();
    const routed: RoutedRecord[] = [];
    const touched = new Set<Run>();
    for (const entry of batch) {
      const { record, cards } = entry;
      if (!record.late) {
        routed.push(entry);
        continue;
      }
      routed.push({ record, cards: [] });
      const run = this.runFor(`${record.src}:${record.family}`, record, now);
      const v = run.view;
      v.events += 1;
      if (record.at < v.firstAt) v.firstAt = record.at;
      if (record.at > v.lastAt) v.lastAt = record.at;
      const first = cards[0];
      if (first) {
        v.notable += 1;
        const label = KIND_LABELS[first.kind];
        v.byKind[label] = (v.byKind[label] ?? 0) + 1;
      }
      v.updatedAt = new Date(now).toISOString();
      touched.add(run);
    }
    const summaries = [...touched].filter((r) => r.view.notable > 0).map((r) => buildCatchUpCard(r.view));
    return { routed, summaries };
  }

  private runFor(group: string, record: RoutedRecord['record'], now: number): Run {
    let run = this.runs.get(group);
    if (run && now - run.lastSeen > this.o.idleMs) run = undefined;
    if (!run) {
      const view: CatchUpView = {
        key: `catchup:${group}:${now.toString(36)}`,
        source: record.src,
        family: record.family,
        events: 0,
        notable: 0,
        byKind: {},
        firstAt: record.at,
        lastAt: record.at,
        updatedAt: new Date(now).toISOString(),
      };
      this.runs.set(group, (run = { view, lastSeen: now }));
    }
    run.lastSeen = now;
    return run;
  }
}
