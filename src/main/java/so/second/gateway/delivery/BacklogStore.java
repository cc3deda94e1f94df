package so.second.gateway.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Every SQL statement of delivery, on the tables of {@code V3__delivery_backlog.sql}.
 * Times are the database's clock ({@code now()}), so instances with skewed clocks still
 * agree on leases and due times.
 */
final class BacklogStore implements DeadLetters {

	// One statement, so one round trip and one commit (autocommit): the keys first, then
	// the events whose key was new or that have none. Keys are unique per call.
	private static final String INSERT_EVENTS_QUERY = """
			WITH event AS (
				SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS event (uuid, payload, key, position)
			),
			fresh AS (
				INSERT INTO delivery_idempotency (key)
				SELECT key FROM event WHERE key IS NOT NULL
				ON CONFLICT (key) DO NOTHING
				RETURNING key
			)
			INSERT INTO delivery_backlog (uuid, payload)
			SELECT event.uuid::uuid, event.payload
			FROM event
			WHERE event.key IS NULL OR event.key IN (SELECT key FROM fresh)
			ORDER BY event.position
			""";

	// Claims a batch only when it is full or its oldest event has lingered long enough;
	// otherwise the rows are left (and their locks go with the statement).
	private static final String CLAIM_EVENTS_QUERY = """
			WITH due AS (
				SELECT id, created_at FROM delivery_backlog
				WHERE next_attempt_at <= now()
				ORDER BY next_attempt_at
				LIMIT ?
				FOR UPDATE SKIP LOCKED
			),
			ready AS (
				SELECT id FROM due
				WHERE (SELECT count(*) FROM due) >= ?
					OR (SELECT min(created_at) FROM due) <= now() - ? * interval '1 millisecond'
			)
			UPDATE delivery_backlog backlog
			SET claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond',
				next_attempt_at = now() + ? * interval '1 millisecond', attempts = backlog.attempts + 1
			FROM ready
			WHERE backlog.id = ready.id
			RETURNING backlog.id, backlog.uuid, backlog.payload, backlog.attempts
			""";

	private static final String DELETE_DELIVERED_QUERY = """
			DELETE FROM delivery_backlog
			WHERE id = ANY(?::bigint[]) AND claimed_by = ?
			""";

	private static final String UPDATE_RESCHEDULED_QUERY = """
			UPDATE delivery_backlog
			SET claimed_by = NULL, claimed_until = NULL, next_attempt_at = now() + ? * interval '1 millisecond'
			WHERE id = ANY(?::bigint[]) AND claimed_by = ?
			""";

	private static final String UPDATE_LEASE_QUERY = """
			UPDATE delivery_backlog
			SET claimed_until = now() + ? * interval '1 millisecond', next_attempt_at = now() + ? * interval '1 millisecond'
			WHERE id = ANY(?::bigint[]) AND claimed_by = ?
			""";

	private static final String MOVE_TO_DEAD_LETTER_QUERY = """
			WITH dead AS (
				DELETE FROM delivery_backlog
				WHERE id = ANY(?::bigint[]) AND claimed_by = ?
				RETURNING uuid, payload, attempts, created_at
			)
			INSERT INTO delivery_dead_letter (uuid, payload, attempts, reason, status, response, created_at)
			SELECT uuid, payload, attempts, ?, ?, ?, created_at FROM dead
			""";

	private static final String COUNT_BACKLOG_QUERY = """
			SELECT count(*) FROM (SELECT 1 FROM delivery_backlog LIMIT ?) AS capped
			""";

	private static final String SELECT_OLDEST_QUERY = """
			SELECT created_at FROM delivery_backlog ORDER BY id LIMIT 1
			""";

	private static final String COUNT_DEAD_LETTERS_QUERY = """
			SELECT count(*) FROM delivery_dead_letter
			""";

	private static final String DELETE_EXPIRED_IDEMPOTENCY_KEYS_QUERY = """
			DELETE FROM delivery_idempotency
			WHERE key IN (
				SELECT key FROM delivery_idempotency
				WHERE created_at < now() - ? * interval '1 millisecond'
				LIMIT ?
			)
			""";

	private static final String SELECT_DEAD_LETTERS_QUERY = """
			SELECT id, uuid, payload, attempts, reason, status, response, created_at, dead_at
			FROM delivery_dead_letter
			WHERE id > ?
			ORDER BY id
			LIMIT ?
			""";

	private static final String MOVE_DEAD_LETTER_TO_BACKLOG_QUERY = """
			WITH revived AS (
				DELETE FROM delivery_dead_letter
				WHERE id = ?
				RETURNING uuid, payload
			)
			INSERT INTO delivery_backlog (uuid, payload)
			SELECT uuid, payload FROM revived
			""";

	private static final String MOVE_ALL_DEAD_LETTERS_TO_BACKLOG_QUERY = """
			WITH revived AS (
				DELETE FROM delivery_dead_letter
				RETURNING id, uuid, payload
			)
			INSERT INTO delivery_backlog (uuid, payload)
			SELECT uuid, payload FROM revived ORDER BY id
			""";

	private static final int PRUNE_CHUNK = 10_000;

	private final JdbcClient jdbc;

	BacklogStore(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Inserts the rows and their idempotency keys in one statement (so one transaction):
	 * a row whose key was seen before is skipped.
	 * @param rows the rows of every append in this commit, keys already unique among them
	 * @return how many rows were inserted; the others were duplicates of accepted events
	 */
	int insert(List<BacklogRow> rows) {
		String[] uuids = new String[rows.size()];
		String[] payloads = new String[rows.size()];
		String[] keys = new String[rows.size()];
		for (int i = 0; i < rows.size(); i++) {
			BacklogRow row = rows.get(i);
			uuids[i] = row.uuid().toString();
			payloads[i] = row.payload();
			keys[i] = row.idempotencyKey();
		}
		return this.jdbc.sql(INSERT_EVENTS_QUERY).params(uuids, payloads, keys).update();
	}

	/**
	 * Claims up to {@code limit} due events for {@code lease}, or none while fewer than
	 * {@code limit} are due and the oldest of them was accepted less than {@code linger}
	 * ago.
	 */
	List<ClaimedEvent> claim(String claimToken, int limit, Duration lease, Duration linger) {
		return this.jdbc.sql(CLAIM_EVENTS_QUERY)
			.params(limit, limit, linger.toMillis(), claimToken, lease.toMillis(), lease.toMillis())
			.query((rs, rowNum) -> new ClaimedEvent(rs.getLong("id"), rs.getObject("uuid", UUID.class),
					rs.getString("payload"), rs.getInt("attempts")))
			.list();
	}

	/** Deletes delivered events, if they are still ours. */
	int deleteDelivered(Collection<Long> ids, String claimToken) {
		return this.jdbc.sql(DELETE_DELIVERED_QUERY).params(ids(ids), claimToken).update();
	}

	/** Gives the events back with the time of their next attempt. */
	int reschedule(Collection<Long> ids, String claimToken, Duration delay) {
		return this.jdbc.sql(UPDATE_RESCHEDULED_QUERY).params(delay.toMillis(), ids(ids), claimToken).update();
	}

	/**
	 * Extends the lease of events still being worked on (a batch being split takes
	 * several sends).
	 */
	int extendLease(Collection<Long> ids, String claimToken, Duration lease) {
		return this.jdbc.sql(UPDATE_LEASE_QUERY)
			.params(lease.toMillis(), lease.toMillis(), ids(ids), claimToken)
			.update();
	}

	/** Moves events PostHog will never take to the dead-letter table, with its answer. */
	int moveToDeadLetter(Collection<Long> ids, String claimToken, String reason, Integer status, String response) {
		return this.jdbc.sql(MOVE_TO_DEAD_LETTER_QUERY).params(ids(ids), claimToken, reason, status, response).update();
	}

	/**
	 * Undelivered events, counted up to {@code cap} (a full count of a huge backlog is
	 * not needed).
	 */
	long countBacklog(long cap) {
		return this.jdbc.sql(COUNT_BACKLOG_QUERY).param(cap).query(Long.class).single();
	}

	/** When the oldest undelivered event was accepted. */
	Optional<Instant> oldestCreatedAt() {
		return this.jdbc.sql(SELECT_OLDEST_QUERY).query(Timestamp.class).optional().map(Timestamp::toInstant);
	}

	long countDeadLetters() {
		return this.jdbc.sql(COUNT_DEAD_LETTERS_QUERY).query(Long.class).single();
	}

	/**
	 * Deletes idempotency keys older than {@code window}, in chunks that hold no lock for
	 * long.
	 */
	int pruneIdempotencyKeys(Duration window) {
		int total = 0;
		int deleted;
		do {
			deleted = this.jdbc.sql(DELETE_EXPIRED_IDEMPOTENCY_KEYS_QUERY)
				.params(window.toMillis(), PRUNE_CHUNK)
				.update();
			total += deleted;
		}
		while (deleted == PRUNE_CHUNK);
		return total;
	}

	@Override
	public List<DeadLetter> deadLetters(long afterId, int limit) {
		return this.jdbc.sql(SELECT_DEAD_LETTERS_QUERY)
			.params(afterId, limit)
			.query((rs, rowNum) -> new DeadLetter(rs.getLong("id"), rs.getObject("uuid", UUID.class),
					rs.getString("payload"), rs.getInt("attempts"), rs.getString("reason"),
					(Integer) rs.getObject("status"), rs.getString("response"),
					rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("dead_at").toInstant()))
			.list();
	}

	@Override
	public boolean resendDeadLetter(long id) {
		return this.jdbc.sql(MOVE_DEAD_LETTER_TO_BACKLOG_QUERY).param(id).update() > 0;
	}

	@Override
	public int resendAllDeadLetters() {
		return this.jdbc.sql(MOVE_ALL_DEAD_LETTERS_TO_BACKLOG_QUERY).update();
	}

	private static Long[] ids(Collection<Long> ids) {
		return ids.toArray(Long[]::new);
	}

	/**
	 * One event to insert: its uuid, its JSON as sent, and its idempotency key or
	 * {@code null}.
	 */
	record BacklogRow(UUID uuid, String payload, String idempotencyKey) {
	}

}
