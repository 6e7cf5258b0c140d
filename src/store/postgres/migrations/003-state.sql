-- The bot's own state in PostgreSQL (issue 13 §1; src/store/postgres/pg-state-store.ts): what DATA_DIR/state
-- holds in the file store. JSON is stored as `json`, not `jsonb`: json keeps the text as written, and the
-- state relies on key order (Object.values of the task document lists tasks in the order they were
-- opened; jsonb would sort its keys by length).

-- Documents (StateDoc): checkpoints, run logs, the routing cursor, tasks, their audit, Teams subscriptions.
-- A change is applied under the row's lock to the newest version, which goes up by one per change, so
-- replicas changing one document both land, and a replica follows the others by the version.
CREATE TABLE state_docs (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]+$'),
  version bigint NOT NULL,
  data json NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Journals (StateJournal): the outboxes and message references. A snapshot of the state through
-- snapshot_seq, and the changes after it, one row each, numbered on from it.
--   last_seq   the last change written. A writer extends it only from the value it holds (a compare
--              and set in the same statement as the insert of the changes): a second writer whose state
--              is stale writes nothing, even when compaction has already deleted the rows it would
--              collide with.
CREATE TABLE state_journals (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]+$'),
  snapshot_seq bigint NOT NULL,
  last_seq bigint NOT NULL,
  snapshot json NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (last_seq >= snapshot_seq)
);

CREATE TABLE state_journal_ops (
  name text NOT NULL REFERENCES state_journals (name),
  seq bigint NOT NULL,
  op json NOT NULL,
  PRIMARY KEY (name, seq)
);
