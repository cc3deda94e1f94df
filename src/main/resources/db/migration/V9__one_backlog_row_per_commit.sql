-- A backlog row holds the events of one commit, in the order they were accepted: their uuids and
-- their JSON as two arrays of the same length, event_count of each. The row per event was what
-- PostgreSQL spent most of capture's time on: every event was a heap tuple and two index entries to
-- insert, then a row lock, a delete and a vacuum (docs/benchmarks.md, "one backlog row per
-- commit"). A claim now locks and deletes one row per commit; an outcome that differs within a row
-- (a batch halved, one event set aside) splits it (docs/delivery.md, "Tables").
--
-- EXTERNAL: the arrays of a big commit are stored out of line (TOAST) without compression, which
-- would cost the writer CPU for what is deleted seconds later; the row itself stays small, so a
-- claim's lock, a reschedule's update and the monitor's sum read a short table.
--
-- Like V7 and V8, this changes what an instance writes: stop every instance of an earlier version
-- before it runs (docs/delivery.md, "Upgrading"). Should one still be running, the lock makes it
-- wait for this migration and then fail (its inserts and claims name columns that are gone); its
-- requests answer 503 and are retried, and its claims are rolled back, due again here.
LOCK TABLE delivery_backlog IN ACCESS EXCLUSIVE MODE;

ALTER TABLE delivery_backlog
	ADD COLUMN uuids UUID[],
	ADD COLUMN payloads TEXT[],
	ADD COLUMN event_count INT;

-- the events queued by an earlier version: one row each, as they were (ids, attempts, due times)
UPDATE delivery_backlog SET uuids = ARRAY[uuid], payloads = ARRAY[payload], event_count = 1;

ALTER TABLE delivery_backlog
	DROP COLUMN uuid,
	DROP COLUMN payload,
	ALTER COLUMN uuids SET NOT NULL,
	ALTER COLUMN payloads SET NOT NULL,
	ALTER COLUMN event_count SET NOT NULL,
	ALTER COLUMN uuids SET STORAGE EXTERNAL,
	ALTER COLUMN payloads SET STORAGE EXTERNAL;

-- V3 vacuumed after 5 000 dead rows, a few hundred milliseconds of per-event rows at the peak; a
-- row is now a commit (tens to a thousand events), and its arrays' TOAST chunks are vacuumed with it.
ALTER TABLE delivery_backlog SET (autovacuum_vacuum_threshold = 500, autovacuum_analyze_threshold = 500);
