-- Singleton roles beyond the relay (saga starter, deadline sweeper, projection writers) share the publisher lease's
-- table: one row per role key, its fencing epoch and the name of the process that took it last.
ALTER TABLE publisher_leases RENAME TO role_leases;
ALTER TABLE role_leases ADD COLUMN holder text NOT NULL DEFAULT '';
