/**
 * A piece of bot state kept in a journal under DATA_DIR/state/<name>/ (journal.ts): the outbox and the
 * message references. The state applies its own changes and knows its own JSON; this opens the journal for
 * it, importing the whole-file DATA_DIR/state/<name>.json it replaces, once.
 */
import { createLogger } from '../logger.ts';
import { stateJournalPaths } from './journal-files.ts';
import { Journal, type JournalTuning } from './journal.ts';

/** what a journalled state provides: its changes applied in place, its snapshot form, its size */
export interface JournalledState<Op> {
  apply(op: Op): void;
  encode(): unknown;
  /** about how many bytes a snapshot of it takes, kept up to date as changes apply (O(1) to read) */
  readonly bytes: number;
}

/** how to make the state: empty, or from a snapshot (also the form of the old whole file) */
export interface StateKind<S> {
  create(): S;
  decode(json: unknown): S;
}

export function openStateJournal<S extends JournalledState<Op>, Op>(dataDir: string, name: string, kind: StateKind<S>, o: JournalTuning = {}): Promise<Journal<S, Op>> {
  const { dir, legacy } = stateJournalPaths(dataDir, name);
  return Journal.open<S, Op>({
    dir,
    log: o.log ?? createLogger('info').child({ component: name }),
    initial: () => kind.create(),
    apply: (state, op) => state.apply(op),
    encode: (state) => state.encode(),
    decode: (json) => kind.decode(json),
    liveBytes: (state) => state.bytes,
    legacy: { file: legacy, read: (json) => kind.decode(json) },
    ...(o.floorBytes !== undefined ? { floorBytes: o.floorBytes } : {}),
    ...(o.openLog ? { openLog: o.openLog } : {}),
  });
}
