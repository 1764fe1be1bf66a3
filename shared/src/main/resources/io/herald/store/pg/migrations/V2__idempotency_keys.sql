-- Results of requests sent with an Idempotency-Key, so a retry replays the first result.
CREATE TABLE idempotency_keys (
  scope       text        NOT NULL,
  key         text        NOT NULL,
  fingerprint text        NOT NULL,              -- digest of the request the key was first used for
  result      jsonb,                             -- null while the first request is running
  expires_at  timestamptz NOT NULL,
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
