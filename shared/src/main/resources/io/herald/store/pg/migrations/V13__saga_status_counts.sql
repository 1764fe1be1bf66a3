-- Sagas counted by status as they are written, so that counting them does not read every saga ever run.
--
-- The sagas{status} gauge counted `SELECT status, count(*) FROM sagas GROUP BY status` every metrics sample: a scan
-- of a table that keeps one row per order, for ever, so its cost grew with every order placed. Now two statement
-- triggers keep the counts in saga_status_counts (one row per status), in the writing statement's transaction: what
-- a statement inserted is added, what it moved from one status to another is moved. Each trigger locks the counter
-- rows in status order, so two writers cannot deadlock on them. Sagas are never deleted.
CREATE TABLE saga_status_counts (
  status text   PRIMARY KEY,
  sagas  bigint NOT NULL
);

LOCK TABLE sagas IN SHARE MODE;   -- no saga is written between the count and the triggers
INSERT INTO saga_status_counts (status, sagas) SELECT status, count(*) FROM sagas GROUP BY status;

CREATE FUNCTION count_inserted_sagas() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO saga_status_counts AS c (status, sagas)
  SELECT n.status, count(*) FROM inserted_sagas n GROUP BY n.status ORDER BY n.status
  ON CONFLICT (status) DO UPDATE SET sagas = c.sagas + EXCLUDED.sagas;
  RETURN NULL;
END
$$;

CREATE FUNCTION count_updated_sagas() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO saga_status_counts AS c (status, sagas)
  SELECT d.status, sum(d.delta) FROM (
    SELECT n.status, 1 AS delta FROM updated_sagas n
    UNION ALL
    SELECT o.status, -1 FROM previous_sagas o
  ) d GROUP BY d.status HAVING sum(d.delta) <> 0 ORDER BY d.status
  ON CONFLICT (status) DO UPDATE SET sagas = c.sagas + EXCLUDED.sagas;
  RETURN NULL;
END
$$;

CREATE TRIGGER sagas_counted_on_insert AFTER INSERT ON sagas
  REFERENCING NEW TABLE AS inserted_sagas
  FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_sagas();

CREATE TRIGGER sagas_counted_on_update AFTER UPDATE ON sagas
  REFERENCING OLD TABLE AS previous_sagas NEW TABLE AS updated_sagas
  FOR EACH STATEMENT EXECUTE FUNCTION count_updated_sagas();
