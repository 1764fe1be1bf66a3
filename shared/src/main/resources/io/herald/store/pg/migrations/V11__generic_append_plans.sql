-- append_events() plans each of its statements once per session and reuses the plan.
--
-- Its statements take the batch as array parameters. With the default plan_cache_mode, PL/pgSQL planned them anew
-- on every call (a plan for the actual arrays looks cheaper than the generic one, so the cache never switches). One
-- client calling it for one-event appends ran 1.2-1.9x more calls per second with generic plans (measured with the
-- commit flush left out, to see the CPU alone; a busy machine, so a range). The generic plans are the same joins of
-- unnested arrays on their ordinal, whatever the batch's size. Nothing else changes: same statements, same locks,
-- same commit.
ALTER FUNCTION append_events(text[], bigint[], integer[], integer[], integer[], uuid[], text[], integer[], timestamptz[],
                             text[], text[], text)
  SET plan_cache_mode = force_generic_plan;
