-- Messages a consumer gave up on, kept whole so they can be read, redriven or deleted.
CREATE TABLE dead_letters (
  seq             bigserial   NOT NULL,           -- listing order
  id              uuid        NOT NULL,
  consumer        text        NOT NULL,           -- the consumer group the message failed in
  broker          text        NOT NULL,           -- the broker it came from
  destination     text        NOT NULL,           -- where on that broker it was read (topic/partition/offset, queue, stream entry)
  event_id        uuid,                           -- null when the message is not an event
  event_type      text,
  stream_id       text,
  position        bigint,
  payload         bytea       NOT NULL,           -- the body exactly as received
  payload_text    text,                           -- the same body when it is UTF-8
  headers         jsonb       NOT NULL,
  attempts        integer     NOT NULL,           -- how many times handling was tried
  last_error      text        NOT NULL,
  first_failed_at timestamptz NOT NULL,
  last_failed_at  timestamptz NOT NULL,
  redrives        integer     NOT NULL DEFAULT 0, -- redrives that failed again
  CONSTRAINT dead_letters_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX dead_letters_seq ON dead_letters (seq);
CREATE INDEX dead_letters_consumer ON dead_letters (consumer, seq);

-- Events an effectively-once consumer has handled, written in the transaction of the handler's own writes.
CREATE TABLE inbox (
  consumer   text        NOT NULL,
  event_id   uuid        NOT NULL,
  position   bigint      NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT inbox_pkey PRIMARY KEY (consumer, event_id)
);
