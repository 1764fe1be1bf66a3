-- Herald event store, version 1. Runs with search_path set to the store's schema.

CREATE TABLE events (
  position       bigint      PRIMARY KEY,           -- global order; handed out under the append lock, so commit order
  stream_id      text        NOT NULL,
  version        bigint      NOT NULL,
  event_id       uuid        NOT NULL,
  type           text        NOT NULL,
  schema_version integer     NOT NULL,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  data           json        NOT NULL,              -- json, not jsonb: kept as written, no conversion in or out
  metadata       json        NOT NULL,              -- the envelope's other CloudEvents attributes
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
  CONSTRAINT events_event_id_key UNIQUE (event_id)
);

CREATE TABLE snapshots (
  stream_id  text        PRIMARY KEY,
  version    bigint      NOT NULL,
  state_type text        NOT NULL,
  state      jsonb       NOT NULL,
  taken_at   timestamptz NOT NULL
);

CREATE TABLE checkpoints (
  name       text        PRIMARY KEY,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Appends a batch of independent appends in one statement (one round trip, one commit).
-- Each append keeps its own expected-version check and its own all-or-nothing outcome:
-- a failed check returns the actual version and writes nothing for that append.
-- The advisory lock makes writers take turns, so positions are assigned in commit order and a reader
-- that has seen position p can never later find a committed event below p (no gaps to skip).
-- The work is set-based (one INSERT for the whole batch), so the time spent holding the lock grows with
-- the number of rows, not with the number of statements. A batch names each stream at most once.
-- The unique keys stay the final guard: a violation aborts the whole batch and the caller retries
-- its appends one by one, so only the offending append fails.
CREATE FUNCTION append_events(
  p_streams         text[],       -- per append
  p_expected        bigint[],     -- per append: expected version, -1 for any
  p_counts          integer[],    -- per append: number of events
  p_offsets         integer[],    -- per append: index of its first event in the event arrays, 0-based
  p_event_appends   integer[],    -- per event, appends' events one after the other: its append's index, 1-based
  p_ids             uuid[],
  p_types           text[],
  p_schema_versions integer[],
  p_times           timestamptz[],
  p_data            text[],
  p_metadata        text[],
  p_channel         text)
RETURNS TABLE (append_index integer, stream_version bigint, first_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  head     bigint;
  new_head bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.events'));
  SELECT coalesce(max(e.position), 0) INTO head FROM events e;

  RETURN QUERY
  WITH batch AS (
    SELECT a.i::integer AS i, a.stream, a.expected, a.cnt, a.offs,
           coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = a.stream), 0) AS cur
    FROM unnest(p_streams, p_expected, p_counts, p_offsets) WITH ORDINALITY AS a(stream, expected, cnt, offs, i)
  ), checked AS (
    SELECT b.*, (b.expected = -1 OR b.expected = b.cur) AS ok FROM batch b
  ), placed AS (
    -- the last position of each accepted append: head + events of the accepted appends up to and including it
    SELECT c.*, head + sum(CASE WHEN c.ok THEN c.cnt ELSE 0 END) OVER (ORDER BY c.i ROWS UNBOUNDED PRECEDING) AS upto
    FROM checked c
  ), inserted AS (
    -- unnest, not subscripts: subscripting an array of variable-length values walks it from the start each time
    INSERT INTO events (position, stream_id, version, event_id, type, schema_version, occurred_at, data, metadata)
    SELECT p.upto - p.cnt + (ev.k - p.offs), p.stream, p.cur + (ev.k - p.offs), ev.id, ev.type, ev.schema_version,
           ev.occurred_at, ev.data::json, ev.metadata::json
    FROM unnest(p_event_appends, p_ids, p_types, p_schema_versions, p_times, p_data, p_metadata)
           WITH ORDINALITY AS ev(append_i, id, type, schema_version, occurred_at, data, metadata, k)
    JOIN placed p ON p.i = ev.append_i
    WHERE p.ok
    RETURNING 1
  )
  SELECT p.i,
         CASE WHEN p.ok THEN p.cur + p.cnt ELSE p.cur END,
         CASE WHEN p.ok THEN p.upto - p.cnt + 1 END
  FROM placed p
  ORDER BY p.i;

  SELECT coalesce(max(e.position), 0) INTO new_head FROM events e;
  IF new_head > head THEN
    PERFORM pg_notify(p_channel, new_head::text);
  END IF;
END
$$;
