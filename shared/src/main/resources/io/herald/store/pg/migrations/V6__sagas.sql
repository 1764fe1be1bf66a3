-- Sagas: one row per saga, the whole state as jsonb; the queried fields as columns.
CREATE TABLE sagas (
  id         text        PRIMARY KEY,
  order_id   text        NOT NULL,
  status     text        NOT NULL,
  state      jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL
);

CREATE INDEX sagas_by_order ON sagas (order_id);
-- a restarted orchestrator looks for what it has to finish: keep that lookup small
CREATE INDEX sagas_unfinished ON sagas (created_at) WHERE status IN ('running', 'compensating');
CREATE INDEX sagas_by_status ON sagas (status, created_at);
