/**
 * The bot's own state copied from DATA_DIR/state (FileStateStore) into the database's StateStore: each
 * document as it is, each journal's state as the new journal's first snapshot, with the log positions in
 * them translated (position-map.ts). Only through the StateStore interface, on both sides, so the copy
 * reads and writes exactly what the bot would.
 *
 * Idempotent: a name the database holds already is left alone. With the same content it was copied
 * before; with other content the database is ahead (the bot ran on it already) and wins, and the user is
 * told so in one line.
 *
 * A new PostgreSQL journal is created holding its user's empty state (pg-state-journal.ts: `kind.create()`,
 * inserted unless the row exists); the copy opens it through a kind whose empty state is DATA_DIR's, so the
 * copied state is the journal's first snapshot, written by the store's own code. Whether the journal was
 * there before is read from its table (migrations/003-state.sql), as the store offers no call for it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { HOOK_SECRET_FILE } from '../../okta/hook-secret.ts';
import { stateJournalPaths } from '../../store/journal-files.ts';
import type { JournalTuning } from '../../store/journal.ts';
import type { PgStateStore } from '../../store/postgres/pg-state-store.ts';
import type { JournalledState, StateKind } from '../../store/state-journal.ts';
import type { StateDoc, StateJournal, StateStore } from '../../store/state-store.ts';
import type { PositionMap } from './position-map.ts';
import { DOCUMENTS, JOURNALS } from './state-names.ts';

export interface CopyStateOptions {
  /** DATA_DIR's state */
  files: StateStore & { dataDir: string };
  /** the database's */
  target: PgStateStore;
  positions: PositionMap;
  log: Logger;
  say(line: string): void;
}

type Outcome = 'copied' | 'already copied' | 'kept the database' | 'not in DATA_DIR';

/** what happened to each name, for the summary */
type Outcomes = Map<string, Outcome>;

export async function copyState(o: CopyStateOptions): Promise<string[]> {
  const docs: Outcomes = new Map();
  for (const { name, position } of DOCUMENTS) docs.set(name, await copyDocument(o, name, position));
  docs.set(HOOK_SECRET_FILE, await copyHookSecret(o));
  const journals: Outcomes = new Map();
  for (const j of JOURNALS) journals.set(j.name, await copyJournal(o, j));
  return [summary('documents', docs), summary('journals', journals)];
}

type AnyDoc = Record<string, unknown>;

async function copyDocument(o: CopyStateOptions, name: string, position: string | undefined): Promise<Outcome> {
  if (!existsSync(path.join(o.files.dataDir, 'state', `${name}.json`))) return 'not in DATA_DIR';
  const source = await o.files.doc<AnyDoc>(name, {}).open();
  return putDocument(o, name, translated(structuredClone(source.data) as AnyDoc, position, o, name));
}

/**
 * The generated hook secret (okta/hook-secret.ts): a file in DATA_DIR, a document in PostgreSQL. Okta's
 * event hook is configured with it, so a bot on the database must answer with the same one.
 */
async function copyHookSecret(o: CopyStateOptions): Promise<Outcome> {
  let value: string;
  try {
    value = (await readFile(path.join(o.files.dataDir, HOOK_SECRET_FILE), 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'not in DATA_DIR';
    throw e;
  }
  // shorter is not a secret the bot would use (it makes a new one)
  if (value.length < 16) return 'not in DATA_DIR';
  const outcome = await putDocument(o, HOOK_SECRET_FILE, { value }, true);
  if (outcome === 'kept the database') {
    o.say(
      `${HOOK_SECRET_FILE}: Okta's event hook sends the secret of DATA_DIR/${HOOK_SECRET_FILE}, the bot on the database answers with its own: ` +
        `set OKTA_HOOK_SECRET to the value in that file, or put the database's in the event hook's settings in Okta`,
    );
  }
  return outcome;
}

/** writes the document unless the database has it; `quiet`: no line about a different version (a secret) */
async function putDocument(o: CopyStateOptions, name: string, want: AnyDoc, quiet = false): Promise<Outcome> {
  const target = await o.target.doc<AnyDoc>(name, {}).open();
  // version 0: the database has no such document yet
  if (target.version > 0) return compared(o, name, target.data, want, quiet);
  await target.update((d) => {
    for (const k of Object.keys(d)) delete d[k];
    Object.assign(d, want);
  });
  return 'copied';
}

async function copyJournal(o: CopyStateOptions, j: (typeof JOURNALS)[number]): Promise<Outcome> {
  const { dir, legacy } = stateJournalPaths(o.files.dataDir, j.name);
  if (!existsSync(dir) && !existsSync(legacy)) return 'not in DATA_DIR';
  const source = new JournalTap(o.files, o.log);
  await (await j.open(source, j.name)).close();
  const want = translated(structuredClone(source.snapshot()) as AnyDoc, j.position, o, j.name);
  const db = await o.target.database();
  const { rowCount } = await db.pool.query('SELECT 1 FROM state_journals WHERE name = $1', [j.name]);
  // opened as the bot opens it; a journal the database does not have yet starts from the copied state
  const target = new JournalTap(o.target, o.log, rowCount === 0 ? want : undefined);
  const opened = await j.open(target, j.name);
  try {
    if (rowCount === 0) return 'copied';
    return compared(o, j.name, target.snapshot(), want);
  } finally {
    await opened.close();
  }
}

/** the log position field of a document or snapshot, in the database's numbering */
function translated(doc: AnyDoc, field: string | undefined, o: CopyStateOptions, name: string): AnyDoc {
  const was = field === undefined ? undefined : doc[field];
  if (typeof was !== 'number') return doc;
  const now = o.positions.translate(was);
  doc[field!] = now;
  o.say(`${name}: routed through position ${was} in DATA_DIR, ${now} in the database`);
  return doc;
}

function compared(o: CopyStateOptions, name: string, held: unknown, want: unknown, quiet = false): Outcome {
  if (isDeepStrictEqual(held, want)) return 'already copied';
  if (!quiet) o.say(`${name}: the database holds a different version (the bot has run on it already?): kept the database's, DATA_DIR's is not copied`);
  return 'kept the database';
}

function summary(kind: string, outcomes: Outcomes): string {
  const by = new Map<Outcome, string[]>();
  for (const [name, outcome] of outcomes) by.set(outcome, [...(by.get(outcome) ?? []), name]);
  const parts = (['copied', 'already copied', 'kept the database', 'not in DATA_DIR'] as const)
    .filter((k) => by.has(k))
    .map((k) => `${by.get(k)!.length} ${k === 'kept the database' ? "kept as the database has them" : k} (${by.get(k)!.join(', ')})`);
  return `${kind}: ${parts.join('; ')}`;
}

/**
 * A StateStore that hands a journal through and keeps hold of it, so the copy can read the state that the
 * real opener (Outbox.open, MessageRefs.open) built with its own kind. With `seed`, the kind's empty state
 * is the seed (the state a journal that does not exist yet starts from).
 */
class JournalTap implements StateStore {
  readonly kind: StateStore['kind'];
  private opened: StateJournal<JournalledState<unknown>, unknown> | undefined;

  constructor(
    private readonly inner: StateStore,
    private readonly log: Logger,
    private readonly seed?: unknown,
  ) {
    this.kind = inner.kind;
  }

  doc<T extends object>(name: string, defaults: T): StateDoc<T> {
    return this.inner.doc(name, defaults);
  }

  async journal<S extends JournalledState<Op>, Op>(name: string, kind: StateKind<S>, o?: JournalTuning & { log?: Logger }): Promise<StateJournal<S, Op>> {
    const seed = this.seed;
    const seeded: StateKind<S> =
      seed === undefined
        ? kind
        : {
            create: () => kind.decode(structuredClone(seed)),
            decode: (json) => kind.decode(json),
          };
    const journal = await this.inner.journal<S, Op>(name, seeded, { ...o, log: o?.log ?? this.log });
    this.opened = journal as unknown as StateJournal<JournalledState<unknown>, unknown>;
    return journal;
  }

  /** the opened journal's state in its snapshot form */
  snapshot(): unknown {
    if (!this.opened) throw new Error('no journal was opened');
    return JSON.parse(JSON.stringify(this.opened.state.encode())) as unknown;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
