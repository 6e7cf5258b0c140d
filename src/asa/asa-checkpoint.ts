/**
 * Where ASA capture continues (SPEC §6): the `offset` of the page to read next (undefined = from the
 * oldest event ASA still keeps, 90 days) and how many events that page had when last read. The page at
 * `offset` is re-read every run until it is full, so nothing appended to it is missed; what was stored
 * before is deduplicated on `asa:<id>`. Kept in DATA_DIR/state/asa-checkpoint.json and changed only after
 * the page's events are durable.
 */
import type { StateDoc, StateStore } from '../store/state-store.ts';

export interface AsaCheckpoint {
  offset?: string;
  lastPageSize: number;
  /** when a run last finished without error */
  lastRunAt?: string;
  /** the team and host the offset belongs to: an offset means nothing for another team */
  team?: string;
  baseUrl?: string;
}

export const ASA_CHECKPOINT_FILE = 'asa-checkpoint';
export const ASA_RUNS_FILE = 'asa-runs';

export function asaCheckpointFile(state: StateStore): StateDoc<AsaCheckpoint> {
  return state.doc<AsaCheckpoint>(ASA_CHECKPOINT_FILE, { lastPageSize: 0 });
}

/** `npm run asa -- reset`: capture starts over from the oldest event; nothing is stored twice */
export function resetCheckpoint(d: AsaCheckpoint): void {
  delete d.offset;
  d.lastPageSize = 0;
}
