/** The default StateStore: documents as files under DATA_DIR/state, journals under DATA_DIR/state/<name>/. */
import type { JournalTuning } from './journal.ts';
import { StateFile } from './state-file.ts';
import { openStateJournal, type JournalledState, type StateKind } from './state-journal.ts';
import type { StateJournal, StateStore } from './state-store.ts';

export class FileStateStore implements StateStore {
  readonly kind = 'files';

  constructor(readonly dataDir: string) {}

  doc<T extends object>(name: string, defaults: T): StateFile<T> {
    return new StateFile<T>(this.dataDir, name, defaults);
  }

  journal<S extends JournalledState<Op>, Op>(name: string, kind: StateKind<S>, o: JournalTuning = {}): Promise<StateJournal<S, Op>> {
    return openStateJournal<S, Op>(this.dataDir, name, kind, o);
  }

  async close(): Promise<void> {}
}
