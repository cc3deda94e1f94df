-- An idempotency key is a user and the uuid the client chose: two uuids, 32 bytes compared as
-- bytes. It was their 73-character text joined by ':', compared through the database's collation,
-- and every accepted event with a key wrote about 140 bytes more WAL for it (docs/benchmarks.md).
--
-- Like V7, this changes what an instance writes: stop every instance of an earlier version before
-- it runs (docs/delivery.md, "Upgrading"). Should one still be running, the lock makes its inserts
-- wait for this migration and then fail (its requests answer 503 and are retried), instead of
-- committing a key after the copy below has read the table: that key would be lost, and its event
-- stored twice on a retry.
LOCK TABLE delivery_idempotency IN ACCESS EXCLUSIVE MODE;

CREATE TABLE delivery_idempotency_by_uuids (
	user_id UUID NOT NULL,
	event_uuid UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, event_uuid)
);

-- Every key an earlier version wrote is "<user uuid>:<event uuid>", both in canonical form.
INSERT INTO delivery_idempotency_by_uuids (user_id, event_uuid, created_at)
SELECT split_part(key, ':', 1)::uuid, split_part(key, ':', 2)::uuid, created_at FROM delivery_idempotency;

DROP TABLE delivery_idempotency;
ALTER TABLE delivery_idempotency_by_uuids RENAME TO delivery_idempotency;
ALTER TABLE delivery_idempotency RENAME CONSTRAINT delivery_idempotency_by_uuids_pkey TO delivery_idempotency_pkey;
CREATE INDEX delivery_idempotency_created_ix ON delivery_idempotency (created_at);
