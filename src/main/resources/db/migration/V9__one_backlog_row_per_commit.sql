-- A backlog row holds the events of one commit, in the order they were accepted: their uuids and
-- their JSON as two arrays of the same length, event_count of each. The row per event was what
-- PostgreSQL spent most of capture's time on: every event was a heap tuple and two index entries to
-- insert, then a row lock, a delete and a vacuum (docs/benchmarks.md, "one backlog row per
-- commit"). A claim now locks and deletes one row per commit; an outcome that differs within a row
-- (a batch halved, one event set aside) splits it (docs/delivery.md, "Tables").
--
-- Like V7 and V8, this changes what an instance writes: stop every instance of an earlier version
-- before it runs (docs/delivery.md, "Upgrading"). Should one still be running, the lock makes it
-- wait for this migration and then fail (its inserts and claims name columns that are gone); its
-- requests answer 503 and are retried, and its claims are rolled back, due again here.
LOCK TABLE delivery_backlog IN ACCESS EXCLUSIVE MODE;

-- replaced below by one on (next_attempt_at, id); dropped first, so the rewrite does not rebuild it
DROP INDEX delivery_backlog_due_ix;

-- The events queued by an earlier version become rows of one event each, as they were (ids,
-- attempts, due times), in one rewrite of the table.
ALTER TABLE delivery_backlog
	ALTER COLUMN uuid TYPE UUID[] USING ARRAY[uuid],
	ALTER COLUMN payload TYPE TEXT[] USING ARRAY[payload],
	ADD COLUMN event_count INT NOT NULL DEFAULT 1;
ALTER TABLE delivery_backlog ALTER COLUMN event_count DROP DEFAULT;
ALTER TABLE delivery_backlog RENAME COLUMN uuid TO uuids;
ALTER TABLE delivery_backlog RENAME COLUMN payload TO payloads;

-- The two arrays and event_count agree because the one statement that writes a row builds them
-- from one list (BacklogStore). No CHECK says so: PostgreSQL evaluates a check on every UPDATE, and
-- cardinality() would read both arrays back from TOAST for each reschedule of a big commit.

-- EXTERNAL: the arrays of a commit past about 2 kB are stored out of line (TOAST) without
-- compression, which would cost the writer CPU for what is deleted seconds later; the row itself
-- stays small, so a claim's lock, a reschedule's update and the monitor's sum read a short table.
ALTER TABLE delivery_backlog
	ALTER COLUMN uuids SET STORAGE EXTERNAL,
	ALTER COLUMN payloads SET STORAGE EXTERNAL;

-- A claim takes rows in (next_attempt_at, id) order, whole commits until a batch is full: the
-- index gives that order, so no claim sorts the due rows.
CREATE INDEX delivery_backlog_due_order_ix ON delivery_backlog (next_attempt_at, id);

-- V3 vacuumed after 5 000 dead rows, a few hundred milliseconds of per-event rows at the peak; a
-- row is now a commit (tens to a thousand events), and its arrays' TOAST chunks are vacuumed with it.
ALTER TABLE delivery_backlog SET (autovacuum_vacuum_threshold = 500, autovacuum_analyze_threshold = 500);
