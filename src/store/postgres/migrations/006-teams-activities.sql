-- Teams activities that acted, shared by every replica (adapters/teams/pg-activity-claims.ts). Teams retries
-- an activity it got no answer to, with the same id, and behind a load balancer the retry may reach another
-- replica: a button press or command must not act twice there either.
--   key    the conversation id and the activity id
--   state  'running' while a replica's turn for it runs (a retry elsewhere waits), 'acted' once it acted;
--          a failed turn deletes its row, so that the retry acts
--   at     when the state was set: a 'running' row older than a minute is a replica that died mid-turn,
--          and a retry takes it over; rows older than a day are deleted (retries come within minutes)
CREATE TABLE teams_activities (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('running', 'acted')),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_activities_at ON teams_activities (at);
