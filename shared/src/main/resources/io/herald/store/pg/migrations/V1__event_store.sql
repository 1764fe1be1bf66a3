-- Herald event store, version 1. Runs with search_path set to the store's schema.

-- The events of every stream. The primary key (stream_id, version) is the optimistic-concurrency check:
-- two appends that expect the same version cannot both store it.
CREATE TABLE events (
  stream_id      text        NOT NULL,
  version        bigint      NOT NULL,
  event_id       uuid        NOT NULL,
  type           text        NOT NULL,
  schema_version integer     NOT NULL,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  data           json        NOT NULL,              -- json, not jsonb: kept as written, no conversion in or out
  metadata       json        NOT NULL,              -- the envelope's other CloudEvents attributes
  CONSTRAINT events_pkey PRIMARY KEY (stream_id, version),
  CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- The global order: one small row per event, written under the append lock, so positions follow commit order.
-- Joined to events by the time-ordered event id, so a page of positions meets its events in neighbouring pages.
CREATE TABLE positions (
  position bigint PRIMARY KEY,
  event_id uuid   NOT NULL,
  CONSTRAINT positions_event_id_key UNIQUE (event_id)
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

-- Appends a batch of independent appends in one statement: one round trip, one commit (group commit).
-- Each append keeps its own expected-version check and its own all-or-nothing outcome: a failed check
-- returns the actual version and writes nothing for that append. A batch names each stream at most once.
--
-- Two phases:
-- 1. Check the versions and write the events, beside other writers. This is the expensive part (rows, json,
--    unique keys), and it runs on as many cores as there are writers. Rows are written in stream order, so
--    two batches that touch the same streams wait for each other in one direction only, never in a cycle.
-- 2. Take the append lock and give the accepted events their global positions, then commit (the lock is
--    released after the commit is visible). Writers take turns only for this short step, so positions follow
--    commit order: a reader that has seen position p can never later find a committed event below p.
--
-- The unique keys stay the final guard: when a concurrent batch stored a version first, or an event id is
-- reused, the whole batch fails with 23505 and the caller retries its appends one by one, so only the
-- offending append fails.
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
  v_current bigint[];
  v_ok      boolean[];
  head      bigint;
  new_head  bigint;
BEGIN
  SELECT array_agg(b.cur ORDER BY b.i), array_agg(b.expected = -1 OR b.expected = b.cur ORDER BY b.i)
  INTO v_current, v_ok
  FROM (
    SELECT a.i, a.expected, coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = a.stream), 0) AS cur
    FROM unnest(p_streams, p_expected) WITH ORDINALITY AS a(stream, expected, i)
  ) b;

  -- unnest, not subscripts, for the event arrays: subscripting an array of variable-length values walks it
  INSERT INTO events (stream_id, version, event_id, type, schema_version, occurred_at, data, metadata)
  SELECT a.stream, v_current[a.i] + (ev.k - a.offs), ev.id, ev.type, ev.schema_version, ev.occurred_at,
         ev.data::json, ev.metadata::json
  FROM unnest(p_event_appends, p_ids, p_types, p_schema_versions, p_times, p_data, p_metadata)
         WITH ORDINALITY AS ev(append_i, id, type, schema_version, occurred_at, data, metadata, k)
  JOIN unnest(p_streams, p_offsets) WITH ORDINALITY AS a(stream, offs, i) ON a.i = ev.append_i
  WHERE v_ok[a.i]
  ORDER BY a.stream, ev.k;

  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.positions'));
  SELECT coalesce(max(p.position), 0) INTO head FROM positions p;

  RETURN QUERY
  WITH placed AS (
    -- the last position of each accepted append: head + events of the accepted appends up to and including it
    SELECT a.i::integer AS i, a.cnt, a.offs, v_current[a.i] AS cur, v_ok[a.i] AS ok,
           head + sum(CASE WHEN v_ok[a.i] THEN a.cnt ELSE 0 END) OVER (ORDER BY a.i ROWS UNBOUNDED PRECEDING) AS upto
    FROM unnest(p_counts, p_offsets) WITH ORDINALITY AS a(cnt, offs, i)
  ), inserted AS (
    INSERT INTO positions (position, event_id)
    SELECT p.upto - p.cnt + (ev.k - p.offs), ev.id
    FROM unnest(p_event_appends, p_ids) WITH ORDINALITY AS ev(append_i, id, k)
    JOIN placed p ON p.i = ev.append_i
    WHERE p.ok
    RETURNING 1
  )
  SELECT p.i,
         CASE WHEN p.ok THEN p.cur + p.cnt ELSE p.cur END,
         CASE WHEN p.ok THEN p.upto - p.cnt + 1 END
  FROM placed p
  ORDER BY p.i;

  SELECT coalesce(max(p.position), 0) INTO new_head FROM positions p;
  IF new_head > head THEN
    PERFORM pg_notify(p_channel, new_head::text);
  END IF;
END
$$;
