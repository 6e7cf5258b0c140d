-- oig-chatops schema migrations (src/store/postgres/migrate.ts applies them at start, in order).
--
-- Rules for this folder:
--   * One file per change, named NNN-what-it-does.sql, numbered one after the other. Plain SQL.
--   * Never edit a file once it is released: start-up refuses a database where an applied file's
--     sha256 differs. A fix is a new file.
--   * Each file runs in its own transaction, recorded in schema_migrations in the same transaction,
--     so write statements that can run inside one (no CREATE INDEX CONCURRENTLY, no VACUUM).
--   * Replicas starting together take turns on an advisory lock: a file runs once per database.
--
-- This first one only labels the version table that the runner creates.
COMMENT ON TABLE schema_migrations IS
  'oig-chatops: one row per applied file of src/store/postgres/migrations (version, name, sha256, time)';
