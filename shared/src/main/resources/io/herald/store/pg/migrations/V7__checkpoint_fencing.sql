-- Fencing for checkpoint writers.
--
-- A checkpoint belongs to the writer of its epoch: a relay claims it with its lease's epoch, a projection rebuild
-- raises it. A save carries the writer's epoch and moves the checkpoint only while that epoch is still the row's
-- (UPDATE ... WHERE epoch = $mine), so a relay that lost its lease, or a save started before a rebuild, cannot
-- move it any more.
ALTER TABLE checkpoints ADD COLUMN epoch bigint NOT NULL DEFAULT 0;

-- The publisher lease's fencing token: raised by every acquisition of the lease, in the lease holder's session.
CREATE TABLE publisher_leases (
  key         text        PRIMARY KEY,
  epoch       bigint      NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now()
);
