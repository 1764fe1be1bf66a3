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

-- The global order: one small row per event. Joined to events by the time-ordered event id, so a page of
-- positions meets its events in neighbouring pages.
CREATE TABLE positions (
  position bigint PRIMARY KEY,
  event_id uuid   NOT NULL,
  CONSTRAINT positions_event_id_key UNIQUE (event_id)
);

-- Positions are handed out in blocks, one block per batch, under the allocation lock (see append_events).
CREATE SEQUENCE positions_seq;

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

-- Gap safety without serialising commits.
--
-- Writers take turns only to take a block of positions from positions_seq and to announce it: while holding the
-- allocation lock (advisory, two-key form: schema hash, 1) a writer takes its block and a shared transaction-level
-- advisory lock whose one-key form is the block's first position. PostgreSQL releases that lock only after the
-- commit (or rollback) is visible to everyone, so the lock says "positions from here on may still appear".
-- Commits themselves, with their disk flushes, run side by side.
--
-- A reader first computes safe_head(): under the allocation lock (shared) it reads the last position handed out
-- and the lowest announced block still held; the safe head is the position just below that block, or the last
-- position when none is held. It then reads with a new snapshot, taken after that: every position at or below the
-- safe head belongs to a transaction that had already finished, so it is either visible or rolled back, and no
-- event can later appear below a position the reader has seen. Rolled-back blocks leave holes that readers step
-- over; they are never waited for.

-- The highest position below which no event can appear any more. Holes below it are rolled-back blocks.
CREATE FUNCTION safe_head() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  last_given bigint;
  given      boolean;
  held       bigint;
BEGIN
  PERFORM pg_advisory_lock_shared(hashtext(current_schema()), 1);
  BEGIN
    SELECT s.last_value, s.is_called INTO last_given, given FROM positions_seq s;
    -- announced blocks of every store in this database: another store's block only makes this reader wait a commit
    SELECT min((l.classid::bigint << 32) | l.objid::bigint) INTO held
    FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.objsubid = 1
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database());
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock_shared(hashtext(current_schema()), 1);
    RAISE;
  END;
  PERFORM pg_advisory_unlock_shared(hashtext(current_schema()), 1);
  IF NOT given THEN
    last_given := 0;
  END IF;
  RETURN CASE WHEN held IS NULL THEN last_given ELSE least(last_given, held - 1) END;
END
$$;

-- A page of the global order, up to the safe head; the page's snapshot is taken after the safe head is known.
CREATE FUNCTION read_all(p_from bigint, p_limit integer)
RETURNS TABLE (r_position bigint, r_stream_id text, r_version bigint, r_event_id uuid, r_type text,
               r_schema_version integer, r_occurred_at timestamptz, r_data text, r_metadata text)
LANGUAGE plpgsql AS $$
DECLARE
  head bigint := safe_head();
BEGIN
  RETURN QUERY
  SELECT p.position, e.stream_id, e.version, e.event_id, e.type, e.schema_version, e.occurred_at, e.data::text, e.metadata::text
  FROM positions p JOIN events e ON e.event_id = p.event_id
  WHERE p.position >= p_from AND p.position <= head
  ORDER BY p.position
  LIMIT p_limit;
END
$$;

-- Appends a batch of independent appends in one statement: one round trip, one commit (group commit).
-- Each append keeps its own expected-version check and its own all-or-nothing outcome: a failed check
-- returns the actual version and writes nothing for that append. A batch names each stream at most once.
-- Rows are written in stream order, so two batches that touch the same streams wait for each other in one
-- direction only, never in a cycle. The primary key and the unique event id stay the final guard: when a
-- concurrent batch stored a version first, or an event id is reused, the whole batch fails with 23505 and the
-- caller retries its appends one by one, so only the offending append fails.
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
  accepted  bigint;
  first     bigint;
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

  SELECT coalesce(sum(a.cnt), 0) INTO accepted
  FROM unnest(p_counts) WITH ORDINALITY AS a(cnt, i)
  WHERE v_ok[a.i];

  IF accepted > 0 THEN
    PERFORM pg_advisory_lock(hashtext(current_schema()), 1);
    BEGIN
      first := nextval('positions_seq');
      IF accepted > 1 THEN
        PERFORM setval('positions_seq', first + accepted - 1);
      END IF;
      PERFORM pg_advisory_xact_lock_shared(first);   -- announced until this transaction has finished
    EXCEPTION WHEN OTHERS THEN
      PERFORM pg_advisory_unlock(hashtext(current_schema()), 1);
      RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext(current_schema()), 1);
  END IF;

  RETURN QUERY
  WITH placed AS (
    -- the last position of each accepted append: the block's start + events of accepted appends up to it
    SELECT a.i::integer AS i, a.cnt, a.offs, v_current[a.i] AS cur, v_ok[a.i] AS ok,
           first - 1 + sum(CASE WHEN v_ok[a.i] THEN a.cnt ELSE 0 END) OVER (ORDER BY a.i ROWS UNBOUNDED PRECEDING) AS upto
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

  IF accepted > 0 THEN
    PERFORM pg_notify(p_channel, (first + accepted - 1)::text);
  END IF;
END
$$;
