/**
 * A routing stage with memory: cards that depend on more than one record and on what came before in the
 * log (the "revoked but still used" correlation, src/correlate/). `cardsFor` (route.ts) stays a pure
 * function of one record and the store; a stage sees every routed batch in log order and may add cards.
 *
 * Exactness across crashes: a stage's state must be a fold over the event log in log order. At start the
 * stage is given the position routing has handed to the outboxes and rebuilds its state from the records
 * stored up to there (without making cards); the records after it are routed through it again, so it makes
 * the same cards as before the crash, and the outboxes keep only the ones they do not have yet.
 */
import type { Card } from '../cards/card.ts';
import type { EventRecord } from '../domain/records.ts';

export interface RouteStage {
  /** what the stage is called in logs */
  readonly name: string;
  /** rebuilds the state from the records stored through `routedThrough` (log position); before any batch */
  start(routedThrough: number): void;
  /** the batch's records in log order → the cards to add after a record's own cards */
  cardsFor(batch: readonly EventRecord[]): ReadonlyMap<EventRecord, readonly Card[]>;
}
