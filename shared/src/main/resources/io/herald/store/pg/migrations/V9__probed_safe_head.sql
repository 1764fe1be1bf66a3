-- A cheaper safe head, same guarantee.
--
-- Before, every read and every wake-up of a subscription scanned all of pg_locks (every lock of every session of
-- the server) under the store's allocation lock, which also held the writers back. Now:
--
-- * Writers announce a block before handing it out: under the allocation lock (writers only) a writer reads the
--   last allocated position, takes the block's announcement lock (exclusive, transaction-level, keyed as in V4),
--   and only then moves allocated_positions_seq past the block. So a reader that sees a position in the sequence
--   finds its block announced until the writer's transaction has finished, without any lock of its own.
-- * settled_positions_seq keeps a position at or below which everything is known finished (committed, or rolled
--   back). It only ever moves to a value a reader proved, and a finished position never becomes unfinished, so
--   any value it holds is true (a racing reader that sets a lower one only costs the next reader a longer walk).
-- * safe_head() walks up from the settled position over the committed positions (an index range, usually the
--   few committed since the last read) to the first one it cannot see. That position starts a block (the block
--   before it is committed, hence visible whole). One probe of that block's lock says "still in flight" (stop
--   there) or "finished"; a finished block is looked at again with a new snapshot: committed meanwhile (walk on)
--   or rolled back, the one case that still reads pg_locks, because a rolled-back block's end is unknown.
--   The probe is a shared try-lock: it never waits, never conflicts with another reader, and ends with the
--   reader's transaction; writers hold their block's lock exclusively.
-- * The sequence is new (positions_seq is dropped): renaming the old one first waits for every writer still
--   running the V8 functions, and a V8 call that starts later fails instead of handing out an unannounced block.
--
-- read_all() refuses to run outside READ COMMITTED: its page must be read with a snapshot taken after the safe
-- head was computed, which only READ COMMITTED gives a function's later statement. Under REPEATABLE READ or
-- SERIALIZABLE the snapshot is the transaction's first one, older than the head, and a block committed in between
-- would be skipped for good. The store pins READ COMMITTED on its connections; this guards everyone else.

-- wait for the writers and readers still using positions_seq, then keep its value in the new sequences
ALTER SEQUENCE positions_seq RENAME TO positions_seq_v7;

CREATE SEQUENCE allocated_positions_seq;
SELECT setval('allocated_positions_seq', s.last_value, s.is_called) FROM positions_seq_v7 s;

-- every block handed out so far has finished: their writers used positions_seq_v7, whose lock this holds
CREATE SEQUENCE settled_positions_seq MINVALUE 0 START 0;
SELECT setval('settled_positions_seq', CASE WHEN s.is_called THEN s.last_value ELSE 0 END, true) FROM positions_seq_v7 s;

DROP SEQUENCE positions_seq_v7;

-- The announcement lock of the block starting at p_first: the store's tag above the position (see V4).
CREATE FUNCTION position_block_key(p_first bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT ((hashtext(current_schema()) & 32767)::bigint << 48) | p_first
$$;

CREATE OR REPLACE FUNCTION safe_head() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  last_given bigint;
  given      boolean;
  settled    bigint;
  next       bigint;
  r          record;
  held       bigint;
  head       bigint;
BEGIN
  SELECT s.last_value, s.is_called INTO last_given, given FROM allocated_positions_seq s;
  IF NOT given THEN
    last_given := 0;
  END IF;
  SELECT s.last_value INTO settled FROM settled_positions_seq s;
  IF settled >= last_given THEN
    RETURN last_given;
  END IF;
  next := settled + 1;   -- settled is a block's end: next starts a block
  LOOP
    FOR r IN SELECT p.position FROM positions p WHERE p.position >= next AND p.position <= last_given ORDER BY p.position LOOP
      EXIT WHEN r.position <> next;
      next := next + 1;
    END LOOP;
    EXIT WHEN next > last_given;
    -- next starts a block this snapshot cannot see: in flight, or finished (committed since, or rolled back)
    EXIT WHEN NOT pg_try_advisory_xact_lock_shared(position_block_key(next));
    CONTINUE WHEN EXISTS (SELECT 1 FROM positions p WHERE p.position = next);   -- committed meanwhile: walk on
    -- rolled back, end unknown: the lowest block of this store still announced bounds the head
    SELECT min(((l.classid::bigint << 32) | l.objid::bigint) & 281474976710655) INTO held
    FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.mode = 'ExclusiveLock' AND l.granted   -- writers, not probes
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      AND ((l.classid::bigint << 32) | l.objid::bigint) >> 48 = (hashtext(current_schema()) & 32767)
      AND (((l.classid::bigint << 32) | l.objid::bigint) & 281474976710655) > next;
    next := coalesce(held, last_given + 1);
    EXIT;
  END LOOP;
  head := least(next - 1, last_given);
  IF head > settled AND current_setting('transaction_read_only') = 'off' THEN
    PERFORM setval('settled_positions_seq', head);
  END IF;
  RETURN head;
END
$$;

-- A page of the global order, up to the safe head; the page's snapshot is taken after the safe head is known.
CREATE OR REPLACE FUNCTION read_all(p_from bigint, p_limit integer)
RETURNS TABLE (r_position bigint, r_stream_id text, r_version bigint, r_event_id uuid, r_type text,
               r_schema_version integer, r_occurred_at timestamptz, r_data text, r_metadata text)
LANGUAGE plpgsql AS $$
DECLARE
  head bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'read_all() needs READ COMMITTED, this transaction runs %', upper(current_setting('transaction_isolation'))
      USING ERRCODE = 'invalid_transaction_state',
            HINT = 'Under a snapshot older than the safe head a late commit would be skipped; read outside that transaction.';
  END IF;
  head := safe_head();
  RETURN QUERY
  SELECT p.position, e.stream_id, e.version, e.event_id, e.type, e.schema_version, e.occurred_at, e.data::text, e.metadata::text
  FROM positions p JOIN events e ON e.event_id = p.event_id
  WHERE p.position >= p_from AND p.position <= head
  ORDER BY p.position
  LIMIT p_limit;
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
      SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END INTO first FROM allocated_positions_seq s;
      -- announced before it is handed out: a reader that sees the block in the sequence finds its lock held
      PERFORM pg_advisory_xact_lock(position_block_key(first));
      PERFORM setval('allocated_positions_seq', first + accepted - 1);
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
