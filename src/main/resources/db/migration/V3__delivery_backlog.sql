-- The delivery backlog (outbox): every event accepted with a 202 is a row here until PostHog
-- answers 2xx for it; then the row is deleted at once, so the table holds only what is undelivered.
--
-- payload is the event's JSON exactly as it is sent (text, not jsonb: jsonb would re-order keys, and
-- a resend must be byte-for-byte the same event). The token is added at send time, never stored.
--
-- A claim is a lease: a worker sets claimed_by and moves next_attempt_at to the end of the lease
-- (claimed_until). A row is due when next_attempt_at has passed, so the rows of a crashed instance
-- become due again by themselves when their lease ends, and the claim query needs one index.
CREATE TABLE delivery_backlog (
	id BIGSERIAL PRIMARY KEY,
	uuid UUID NOT NULL,
	payload TEXT NOT NULL,
	attempts INT NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	claimed_by TEXT,
	claimed_until TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX delivery_backlog_due_ix ON delivery_backlog (next_attempt_at);

-- A queue table: rows are inserted and deleted all day. Vacuum it after a few thousand dead rows
-- instead of after 20 % of the table, so it stays small under steady load.
ALTER TABLE delivery_backlog SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000,
	autovacuum_analyze_scale_factor = 0.0, autovacuum_analyze_threshold = 5000);

-- Events PostHog rejected as malformed (or too large), kept aside with PostHog's answer; an
-- operator can list them and send them again (docs/delivery.md).
CREATE TABLE delivery_dead_letter (
	id BIGSERIAL PRIMARY KEY,
	uuid UUID NOT NULL,
	payload TEXT NOT NULL,
	attempts INT NOT NULL,
	reason TEXT NOT NULL,
	status INT,
	response TEXT,
	created_at TIMESTAMPTZ NOT NULL,
	dead_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The idempotency keys (user and client uuid) of recently accepted events. A key is inserted in
-- the same transaction as its event, so a key exists exactly when its event was accepted; keys
-- older than the idempotency window are pruned.
CREATE TABLE delivery_idempotency (
	key TEXT PRIMARY KEY,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX delivery_idempotency_created_ix ON delivery_idempotency (created_at);
