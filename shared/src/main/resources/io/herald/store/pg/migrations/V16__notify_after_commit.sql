-- append_events() notifies only when asked to: a NULL channel leaves the NOTIFY to the caller, after the commit.
--
-- A transaction that notifies takes, at its commit, a lock that is one for the whole server, and holds it until its
-- commit record is flushed: every append committed alone, behind the flush of the one before. Measured with pgbench
-- (one-row INSERT, autocommit, against the same INSERT with pg_notify in its transaction): 1 client 5,043 against
-- 3,057 transactions/s, 64 clients 18,704 against 3,710. A NOTIFY sent alone writes nothing that must be flushed
-- (23,000 a second from one client), so the store sends it after the commit, coalesced, and wakes its own
-- subscriptions without it.
--
-- Callers that still pass a channel (a node not yet upgraded, a client calling the function itself) notify as before.
-- The signature is unchanged, so they keep working.

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
  p_channel         text)       -- NOTIFY this channel in the transaction; NULL: the caller notifies after the commit
RETURNS TABLE (append_index integer, stream_version bigint, first_position bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan   -- as V11 set it: replacing the function would drop it
AS $$
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

  IF accepted > 0 AND p_channel IS NOT NULL THEN
    PERFORM pg_notify(p_channel, (first + accepted - 1)::text);
  END IF;
END
$$;
