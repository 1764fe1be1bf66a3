-- The allocation lock is a session-level advisory lock, so an error between taking and releasing it must release
-- it by hand. EXCEPTION WHEN OTHERS does not catch query_canceled (statement_timeout, pg_cancel_backend): a read or
-- an append cancelled while holding the lock left it held by that pooled session, and every later append of the
-- store waited on it for good. The handlers now catch query_canceled too, and both the lock and the unlock are
-- inside the guarded block (a cancel may also land while the unlock statement is planned, or while waiting for the
-- lock), so the handler releases the lock only when this session still holds it.

-- Whether this session holds the store's allocation lock (the error path only: it reads pg_locks).
CREATE FUNCTION allocation_lock_held() RETURNS boolean
LANGUAGE sql AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted AND l.objsubid = 2
      AND l.classid::bigint = (hashtext(current_schema())::bigint & 4294967295) AND l.objid = 1
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
$$;

CREATE OR REPLACE FUNCTION safe_head() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  last_given bigint;
  given      boolean;
  held       bigint;
BEGIN
  BEGIN
    PERFORM pg_advisory_lock_shared(hashtext(current_schema()), 1);
    SELECT s.last_value, s.is_called INTO last_given, given FROM positions_seq s;
    -- announced blocks of this store only: the lock key carries the schema's tag above the position
    SELECT min(((l.classid::bigint << 32) | l.objid::bigint) & 281474976710655) INTO held
    FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.objsubid = 1
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      AND ((l.classid::bigint << 32) | l.objid::bigint) >> 48 = (hashtext(current_schema()) & 32767);
    PERFORM pg_advisory_unlock_shared(hashtext(current_schema()), 1);
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    IF allocation_lock_held() THEN
      PERFORM pg_advisory_unlock_shared(hashtext(current_schema()), 1);
    END IF;
    RAISE;
  END;
  IF NOT given THEN
    last_given := 0;
  END IF;
  RETURN CASE WHEN held IS NULL THEN last_given ELSE least(last_given, held - 1) END;
END
$$;

CREATE OR REPLACE FUNCTION append_events(
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
    BEGIN
      PERFORM pg_advisory_lock(hashtext(current_schema()), 1);
      first := nextval('positions_seq');
      IF accepted > 1 THEN
        PERFORM setval('positions_seq', first + accepted - 1);
      END IF;
      -- announced until this transaction has finished, tagged with this schema so other stores ignore it
      PERFORM pg_advisory_xact_lock_shared(((hashtext(current_schema()) & 32767)::bigint << 48) | first);
      PERFORM pg_advisory_unlock(hashtext(current_schema()), 1);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      IF allocation_lock_held() THEN
        PERFORM pg_advisory_unlock(hashtext(current_schema()), 1);
      END IF;
      RAISE;
    END;
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
