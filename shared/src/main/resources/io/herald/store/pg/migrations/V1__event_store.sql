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
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,              -- the envelope's other CloudEvents attributes
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
-- The unique keys stay the final guard: a violation aborts the whole batch and the caller retries
-- its appends one by one, so only the offending append fails.
CREATE FUNCTION append_events(
  p_streams         text[],
  p_expected        bigint[],
  p_counts          integer[],
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
  start_head bigint;
  head       bigint;
  cur_version    bigint;
  n          integer;
  offs       integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.events'));
  SELECT coalesce(max(e.position), 0) INTO head FROM events e;
  start_head := head;
  FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
    n := p_counts[i];
    SELECT coalesce(max(e.version), 0) INTO cur_version FROM events e WHERE e.stream_id = p_streams[i];
    append_index := i;
    IF p_expected[i] <> -1 AND p_expected[i] <> cur_version THEN
      stream_version := cur_version;
      first_position := NULL;
    ELSE
      INSERT INTO events (position, stream_id, version, event_id, type, schema_version, occurred_at, data, metadata)
      SELECT head + g, p_streams[i], cur_version + g, p_ids[offs + g], p_types[offs + g], p_schema_versions[offs + g],
             p_times[offs + g], p_data[offs + g]::jsonb, p_metadata[offs + g]::jsonb
      FROM generate_series(1, n) AS g;
      stream_version := cur_version + n;
      first_position := head + 1;
      head := head + n;
    END IF;
    RETURN NEXT;
    offs := offs + n;
  END LOOP;
  IF head > start_head THEN
    PERFORM pg_notify(p_channel, head::text);
  END IF;
END
$$;
