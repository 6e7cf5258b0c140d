-- Cards a follower replica made that only the leader may queue for chat (issue 13 §2,
-- src/replica/forwarded-cards.ts). A button press answered by a follower changes the task in the
-- database; the task's new card is forwarded here, and the leader hands each batch to its chat sink's
-- outbox, oldest first, deleting the row in the same transaction.
--   sink        the CardSink's name ("slack", "teams"); a batch for a sink the leader does not have
--               (Teams removed from the config) is logged and dropped by the leader
--   cards       the Card[] as JSON (src/cards/card.ts: objects and arrays only, so jsonb's key order
--               changes nothing a renderer shows)
--   created_at  for an operator: a batch that stays old means no replica leads or the leader cannot queue
CREATE TABLE forwarded_cards (
  id bigserial PRIMARY KEY,
  sink text NOT NULL,
  cards jsonb NOT NULL CHECK (jsonb_typeof(cards) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now()
);
