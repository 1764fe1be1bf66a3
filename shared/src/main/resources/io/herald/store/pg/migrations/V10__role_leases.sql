-- Singleton roles beyond the relay (saga starter, deadline sweeper, projection writers) share the publisher lease's
-- table: one row per role key, its fencing epoch and the name of the process that took it last.
ALTER TABLE publisher_leases RENAME TO role_leases;
ALTER TABLE role_leases ADD COLUMN holder text NOT NULL DEFAULT '';
-- every row so far is a relay's (<schema>/<checkpoint name>): relays are now role 'relay:<checkpoint name>'
UPDATE role_leases SET key = split_part(key, '/', 1) || '/relay:' || substr(key, strpos(key, '/') + 1) WHERE strpos(key, '/') > 0;
