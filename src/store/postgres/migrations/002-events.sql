-- The event log (SPEC §7, issue 13). One row per stored event, keyed by the Okta uuid (ASA: asa:<id>):
-- the primary key is what refuses a duplicate, whichever replica received it.
--   seq     the log position (EventRecord.seq): assigned under the append lock from event_log.last_seq,
--           so positions are contiguous and in commit order; a replica tails `seq > last` without skipping
--   at      the event time (ISO 8601 UTC, so text order is time order): retention deletes by it
--   record  the EventRecord as JSON text, its seq written first ({"seq":n,…}, the shape withPositionSlot
--           gives records in memory). Text, not jsonb: a replica's load joins the page's rows into one
--           array text and parses it in one call; jsonb would be converted back to text for that, and
--           re-orders keys (bench/postgres-store.ts --jsonb compares the two)
CREATE TABLE events (
  id text PRIMARY KEY,
  seq bigint NOT NULL UNIQUE,
  at text NOT NULL,
  record text NOT NULL CHECK (left(record, 7) = '{"seq":')
);
CREATE INDEX events_at ON events (at);

-- One row: the last position given out (it survives retention deleting the newest rows, so a position
-- is never reused) and the cutoff of the latest retention run (replicas drop the same records from memory).
CREATE TABLE event_log (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  last_seq bigint NOT NULL DEFAULT 0,
  retained_before text
);
INSERT INTO event_log DEFAULT VALUES;
