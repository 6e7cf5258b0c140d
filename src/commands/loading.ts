/**
 * What `/oig` says while the store still loads its records after a fast start (issue 13: the hook answers
 * within seconds of a start at 1M events, the indexes take longer). An answer from half the events would
 * look complete and be wrong ("no revokes for alice"), so queries that read stored events answer with this
 * one line instead, in every chat alike; `help`, `skipped` (the work queue) and `stats` answer as usual.
 */
import type { LoadProgress } from '../store/event-store.ts';
import type { Answer } from './answer.ts';
import type { OigQuery } from './query.ts';

/** the queries answered from stored events: they wait for the load */
export function readsStoredEvents(query: OigQuery): boolean {
  return !['help', 'invalid', 'skipped', 'stats'].includes(query.kind);
}

/** 0–99 while loading: "100%" would read as done while the last step still runs */
export function loadPercent(p: LoadProgress): number {
  return p.total > 0 ? Math.min(99, Math.floor((p.loaded * 100) / p.total)) : 0;
}

/** "still loading, 42% (420000 of 1000000 stored events)" */
export function loadingLine(p: LoadProgress): string {
  return `still loading, ${loadPercent(p)}% (${p.loaded} of ${p.total} stored events)`;
}

export function loadingAnswer(p: LoadProgress): Answer {
  return {
    title: 'Still loading',
    notice: `The bot has just started and is ${loadingLine(p)}. New Okta events are received meanwhile; ask again in a moment for an answer from every event.`,
    matched: 0,
    countLine: 'No answer yet: the stored events are still loading.',
    summary: [],
    columns: [],
    rows: [],
  };
}
