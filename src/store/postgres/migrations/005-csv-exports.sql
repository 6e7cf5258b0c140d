-- The CSV files of `oig export …` in Teams (adapters/teams/pg-export-files.ts): the link a replica hands
-- out must work on whichever replica the load balancer sends the download to, and so must the step that
-- turns a channel answer's view id into the link. A file lives an hour; at most 50 files and 100 MiB in
-- all (the code enforces both under a table lock when it adds one, oldest first out, expired rows first).
--   token       the download capability: 16 random bytes in base64url
--   body        the CSV as UTF-8 bytes (bytea: a NUL in an Okta field cannot make the insert fail)
--   bytes       what the size cap counts
--   id          age order for the caps
CREATE TABLE csv_exports (
  id bigserial PRIMARY KEY,
  token text NOT NULL UNIQUE CHECK (token ~ '^[A-Za-z0-9_-]{22}$'),
  filename text NOT NULL,
  title text NOT NULL,
  row_count integer NOT NULL,
  body bytea NOT NULL,
  bytes integer GENERATED ALWAYS AS (octet_length(body)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- What a channel answer carries instead of the token: a view id only its owner (the asker's Teams user
-- id, which Bot Framework authenticates) can turn into the token. Goes with its file.
CREATE TABLE csv_export_views (
  view_id text PRIMARY KEY CHECK (view_id ~ '^[A-Za-z0-9_-]{22}$'),
  token text NOT NULL REFERENCES csv_exports (token) ON DELETE CASCADE,
  owner_id text NOT NULL
);
CREATE INDEX csv_export_views_token ON csv_export_views (token);
