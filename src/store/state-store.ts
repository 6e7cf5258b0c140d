/**
 * Where the bot keeps its own state (everything besides the event log): poller checkpoints and run logs,
 * the routing cursor, manual tasks and their audit trail, Teams subscriptions (documents), and the outboxes
 * and message references (journals). Two kinds: files under DATA_DIR/state (the default,
 * file-state-store.ts) and PostgreSQL (DATABASE_URL, postgres/pg-state-store.ts), so the rest of the bot
 * never asks where its state lives.
 */
import type { Logger } from 'pino';
import type { Journal, JournalTuning } from './journal.ts';
import type { JournalledState, StateKind } from './state-journal.ts';

/**
 * A small document of state. `update` applies a change and resolves once it is durable; changes apply one
 * after another. In PostgreSQL a change is applied to the newest version under a row lock, so two replicas
 * changing the same document both land; `data` then follows other replicas' changes within about a second.
 */
export interface StateDoc<T extends object> {
  readonly name: string;
  /** reads the stored document (or keeps the defaults when there is none yet) */
  open(): Promise<this>;
  /** the current state; treat it as read-only and change it through `update` */
  readonly data: Readonly<T>;
  update(change: (draft: T) => void): Promise<void>;
}

/** a journalled state as its users see it (journal.ts: the file form; the PostgreSQL form has the same shape) */
export type StateJournal<S, Op> = Pick<Journal<S, Op>, 'state' | 'bytesWritten' | 'commit' | 'close'> & {
  /**
   * PostgreSQL: applies what another replica wrote after this process's state. One replica writes a
   * journal at a time (the leader); one that becomes the leader calls this before it writes. A file
   * journal has one writer by construction (DATA_DIR is held by one process) and has none.
   */
  catchUp?(): Promise<void>;
};

export interface StateStore {
  /** 'files' (DATA_DIR/state) or 'postgres' */
  readonly kind: 'files' | 'postgres';
  /** a document named `name` (lower-case letters, digits, dashes), not yet opened */
  doc<T extends object>(name: string, defaults: T): StateDoc<T>;
  /** opens the journal named `name` */
  journal<S extends JournalledState<Op>, Op>(name: string, kind: StateKind<S>, o?: JournalTuning & { log?: Logger }): Promise<StateJournal<S, Op>>;
  /** closes what the store holds open (a PostgreSQL pool); documents and journals are closed by their users */
  close(): Promise<void>;
}
