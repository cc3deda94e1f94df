package so.second.gateway.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.Assert;

/**
 * Every SQL statement of delivery, on the tables of {@code V3__delivery_backlog.sql} (as
 * V7 and V8 changed them). Times are the database's clock, so instances with skewed
 * clocks still agree on due times.
 */
final class BacklogStore implements DeadLetters {

	// One statement, so one round trip and one commit (autocommit): the keys first, then
	// the events whose key was new or that have none. Keys are unique per call.
	private static final String INSERT_EVENTS_QUERY = """
			WITH event AS (
				SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[]) WITH ORDINALITY AS event (uuid, payload, user_id, position)
			),
			fresh AS (
				INSERT INTO delivery_idempotency (user_id, event_uuid)
				SELECT user_id, uuid FROM event WHERE user_id IS NOT NULL
				ON CONFLICT (user_id, event_uuid) DO NOTHING
				RETURNING user_id, event_uuid
			)
			INSERT INTO delivery_backlog (uuid, payload)
			SELECT event.uuid, event.payload
			FROM event
			WHERE event.user_id IS NULL OR (event.user_id, event.uuid) IN (SELECT user_id, event_uuid FROM fresh)
			ORDER BY event.position
			""";

	// Locks the due events (FOR UPDATE SKIP LOCKED: rows another claim holds are passed
	// over) and returns them only when they make a full batch or the oldest has lingered
	// long enough; otherwise nothing, and the caller ends the transaction at once. The
	// locks are the claim: a row is written only when its outcome is known.
	//
	// A row lock is a write, and most looks under a steady trickle find a short batch
	// that must wait; so the same test is made first without locks, on what is due
	// ("waiting"). It can only err towards ready (it also counts the rows open claims
	// hold, so while a claim is open it helps less), never skip a ready batch, so the
	// test on the locked rows stays the one that decides.
	private static final String CLAIM_EVENTS_QUERY = """
			WITH waiting AS (
				SELECT created_at FROM delivery_backlog
				WHERE next_attempt_at <= now()
				ORDER BY next_attempt_at
				LIMIT ?
			),
			due AS (
				SELECT id, uuid, payload, attempts, created_at FROM delivery_backlog
				WHERE next_attempt_at <= now()
					AND ((SELECT count(*) FROM waiting) >= ?
						OR (SELECT min(created_at) FROM waiting) <= now() - ? * interval '1 millisecond')
				ORDER BY next_attempt_at
				LIMIT ?
				FOR UPDATE SKIP LOCKED
			)
			SELECT id, uuid, payload, attempts FROM due
			WHERE (SELECT count(*) FROM due) >= ?
				OR (SELECT min(created_at) FROM due) <= now() - ? * interval '1 millisecond'
			""";

	// A claim's transaction waits for PostHog with no statement running: this bounds how
	// long a hung or partitioned instance can hold its rows (PostgreSQL ends the
	// session).
	private static final String HOLD_AT_MOST_QUERY = """
			SELECT set_config('idle_in_transaction_session_timeout', ?, true)
			""";

	private static final String DELETE_DELIVERED_QUERY = """
			DELETE FROM delivery_backlog WHERE id = ANY(?::bigint[])
			""";

	// statement_timestamp(), not now(): now() is when the claim's transaction began
	private static final String UPDATE_RESCHEDULED_QUERY = """
			UPDATE delivery_backlog
			SET attempts = attempts + 1, next_attempt_at = statement_timestamp() + ? * interval '1 millisecond'
			WHERE id = ANY(?::bigint[])
			""";

	private static final String MOVE_TO_DEAD_LETTER_QUERY = """
			WITH dead AS (
				DELETE FROM delivery_backlog
				WHERE id = ANY(?::bigint[])
				RETURNING uuid, payload, attempts + 1 AS attempts, created_at
			)
			INSERT INTO delivery_dead_letter (uuid, payload, attempts, reason, status, response, created_at, dead_at)
			SELECT uuid, payload, attempts, ?, ?, ?, created_at, statement_timestamp() FROM dead
			""";

	// Counts the rows between two ids, which PostgreSQL reads through the primary key
	// (a range of ids, unlike LIMIT alone, is planned as an index scan even as a generic
	// plan). Its alternatives read what deliveries left behind: a plain count is a
	// sequential scan of every page, dead rows that vacuum has not reached yet included
	// (200-600 ms a count at capture-50's peak in the bench, docs/benchmarks.md), and a
	// scan in id order from the start walks the dead index entries of every row
	// deleted since the last vacuum.
	private static final String COUNT_BACKLOG_QUERY = """
			SELECT count(*) FROM (SELECT 1 FROM delivery_backlog WHERE id BETWEEN ? AND ? LIMIT ?) AS capped
			""";

	// Two probes of the primary key: the first row (and when it was accepted) and the
	// last id.
	private static final String SELECT_SPAN_QUERY = """
			SELECT first.id AS first_id, first.created_at, (SELECT max(id) FROM delivery_backlog) AS last_id
			FROM (SELECT id, created_at FROM delivery_backlog ORDER BY id LIMIT 1) AS first
			""";

	private static final String COUNT_DEAD_LETTERS_QUERY = """
			SELECT count(*) FROM delivery_dead_letter
			""";

	private static final String DELETE_EXPIRED_IDEMPOTENCY_KEYS_QUERY = """
			DELETE FROM delivery_idempotency
			WHERE (user_id, event_uuid) IN (
				SELECT user_id, event_uuid FROM delivery_idempotency
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

	// SKIP_LOCKED: when another instance (or autovacuum) is vacuuming it already, this
	// one does not wait. TRUNCATE false: giving back the empty pages at the table's end
	// takes a lock that stops every insert and claim, for space the queue reuses within
	// seconds; autovacuum still truncates after an outage's backlog has drained.
	private static final String VACUUM_BACKLOG_QUERY = """
			VACUUM (SKIP_LOCKED, TRUNCATE false) delivery_backlog
			""";

	private static final int PRUNE_CHUNK = 10_000;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	// Rows that committed claims deleted or rewrote since the last vacuum of the backlog.
	private final AtomicLong churnSinceVacuum = new AtomicLong();

	private volatile long nextVacuumAfterNanos = System.nanoTime();

	BacklogStore(DataSource dataSource) {
		Assert.notNull(dataSource, "dataSource must not be null");
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
	}

	/**
	 * Inserts the rows and their idempotency keys in one statement (so one transaction):
	 * a row whose key was seen before is skipped.
	 * @param rows the rows of every append in this commit, keys already unique among them
	 * @return how many rows were inserted; the others were duplicates of accepted events
	 */
	int insert(List<BacklogRow> rows) {
		UUID[] uuids = new UUID[rows.size()];
		String[] payloads = new String[rows.size()];
		UUID[] senders = new UUID[rows.size()];
		for (int i = 0; i < rows.size(); i++) {
			BacklogRow row = rows.get(i);
			uuids[i] = row.uuid();
			payloads[i] = row.payload();
			senders[i] = (row.idempotencyKey() != null) ? row.idempotencyKey().userId() : null;
		}
		return this.jdbc.sql(INSERT_EVENTS_QUERY).params(uuids, payloads, senders).update();
	}

	/**
	 * Claims up to {@code limit} due events in a transaction of their own, which holds
	 * them locked until {@link HeldBatch#complete()}: no other claim, on any instance,
	 * can take them meanwhile, and if this process dies PostgreSQL rolls the transaction
	 * back and they are due again at once. Claims none (and ends the transaction) while
	 * fewer than {@code limit} are due and the oldest of them was accepted less than
	 * {@code linger} ago.
	 * @param holdAtMost how long the transaction may wait for its outcome before
	 * PostgreSQL ends it
	 */
	Optional<HeldBatch> claim(int limit, Duration linger, Duration holdAtMost) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		HeldBatch held = null;
		try {
			connection.setAutoCommit(false);
			JdbcClient transaction = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			List<ClaimedEvent> events = transaction.sql(CLAIM_EVENTS_QUERY)
				.params(limit, limit, linger.toMillis(), limit, limit, linger.toMillis())
				.query((rs, rowNum) -> new ClaimedEvent(rs.getLong("id"), rs.getObject("uuid", UUID.class),
						rs.getString("payload"), rs.getInt("attempts")))
				.list();
			if (events.isEmpty()) {
				return Optional.empty();
			}
			transaction.sql(HOLD_AT_MOST_QUERY).param(holdAtMost.toMillis() + "ms").query(String.class).single();
			held = new HeldBatch(connection, transaction, events, this.churnSinceVacuum);
			return Optional.of(held);
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not open a claim's transaction", ex);
		}
		finally {
			if (held == null) {
				endTransaction(connection, false);
			}
		}
	}

	/**
	 * Undelivered events within a span, counted up to {@code cap} (a full count of a huge
	 * backlog is not needed).
	 */
	long countBacklog(BacklogSpan span, long cap) {
		return this.jdbc.sql(COUNT_BACKLOG_QUERY).params(span.firstId(), span.lastId(), cap).query(Long.class).single();
	}

	/** The ids the undelivered events span, and when the oldest was accepted. */
	Optional<BacklogSpan> span() {
		return this.jdbc.sql(SELECT_SPAN_QUERY)
			.query((rs, rowNum) -> new BacklogSpan(rs.getLong("first_id"), rs.getLong("last_id"),
					rs.getTimestamp("created_at").toInstant()))
			.optional();
	}

	long countDeadLetters() {
		return this.jdbc.sql(COUNT_DEAD_LETTERS_QUERY).query(Long.class).single();
	}

	/**
	 * Vacuums the backlog table (docs/delivery.md, "Tables", says why) once this
	 * instance's committed claims have deleted or rewritten at least {@code threshold}
	 * rows since the last time, and the last vacuum has been over for nine times as long
	 * as it ran: when something holds PostgreSQL's vacuum horizon back, a vacuum removes
	 * nothing and takes longer each time, and this keeps it to a tenth of one connection.
	 * @return whether it asked PostgreSQL to vacuum (which skips the table, with a
	 * warning, when another vacuum holds it or the role does not own it)
	 */
	boolean vacuumIfChurned(long threshold) {
		long churn = this.churnSinceVacuum.get();
		if (churn < threshold || System.nanoTime() - this.nextVacuumAfterNanos < 0) {
			return false;
		}
		this.churnSinceVacuum.addAndGet(-churn);
		long start = System.nanoTime();
		try {
			this.jdbc.sql(VACUUM_BACKLOG_QUERY).update();
		}
		finally {
			long end = System.nanoTime();
			this.nextVacuumAfterNanos = end + 9 * (end - start);
		}
		return true;
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
	 * Commits or rolls back, then gives the connection back to the pool. A failed
	 * rollback is not reported: the connection is broken, PostgreSQL has ended the
	 * transaction, and the pool discards it.
	 */
	private static void endTransaction(Connection connection, boolean commit) {
		try {
			if (commit) {
				connection.commit();
			}
			else {
				connection.rollback();
			}
		}
		catch (SQLException ex) {
			if (commit) {
				rollbackQuietly(connection);
				throw new DataAccessResourceFailureException("Could not commit a claim's outcomes", ex);
			}
		}
		finally {
			try {
				connection.setAutoCommit(true);
			}
			catch (SQLException ex) {
				// a broken connection; the pool discards it
			}
			DataSourceUtils.releaseConnection(connection, null);
		}
	}

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// a broken connection; the pool discards it
		}
	}

	/**
	 * Claimed events, locked by their open transaction. Each of PostHog's answers is
	 * written into that transaction as it comes (from any thread, one at a time), which
	 * also restarts PostgreSQL's idle clock, so a batch sent in several requests keeps
	 * its claim as long as each answer comes within the call timeout; {@link #complete()}
	 * commits them all at once. An event given no outcome (its send was cancelled, or
	 * PostHog refused the token) is simply released, due as it was.
	 */
	static final class HeldBatch {

		private final Connection connection;

		private final JdbcClient transaction;

		private final List<ClaimedEvent> events;

		private final AtomicLong churnSinceVacuum;

		private boolean ended;

		private int rowsWritten;

		private HeldBatch(Connection connection, JdbcClient transaction, List<ClaimedEvent> events,
				AtomicLong churnSinceVacuum) {
			this.connection = connection;
			this.transaction = transaction;
			this.events = events;
			this.churnSinceVacuum = churnSinceVacuum;
		}

		List<ClaimedEvent> events() {
			return this.events;
		}

		/** PostHog took them: they are deleted. */
		synchronized void delivered(Collection<Long> ids) {
			requireOpen();
			this.rowsWritten += this.transaction.sql(DELETE_DELIVERED_QUERY).param(ids(ids)).update();
		}

		/** They are sent again after {@code delay}, counted as one more attempt. */
		synchronized void reschedule(Collection<Long> ids, Duration delay) {
			requireOpen();
			this.rowsWritten += this.transaction.sql(UPDATE_RESCHEDULED_QUERY)
				.params(delay.toMillis(), ids(ids))
				.update();
		}

		/**
		 * PostHog will never take them: they move to the dead-letter table, with its
		 * answer.
		 */
		synchronized void deadLetter(Collection<Long> ids, String reason, Integer status, String response) {
			requireOpen();
			this.rowsWritten += this.transaction.sql(MOVE_TO_DEAD_LETTER_QUERY)
				.params(ids(ids), reason, status, response)
				.update();
		}

		/**
		 * Commits every outcome written. If that fails, nothing of it is kept and every
		 * event of the batch is due again as it was (sent again with the same uuid, which
		 * PostHog de-duplicates).
		 */
		synchronized void complete() {
			requireOpen();
			this.ended = true;
			endTransaction(this.connection, true);
			this.churnSinceVacuum.addAndGet(this.rowsWritten);
		}

		private void requireOpen() {
			Assert.state(!this.ended, "the claim has already ended");
		}

	}

	/**
	 * The backlog's smallest and largest id, and when the row with the smallest was
	 * accepted (the oldest event: ids grow with acceptance). Ids are unique, so the
	 * backlog holds at most {@link #ids()} events; fewer where rows in between were
	 * delivered first or ids were used by inserts that rolled back.
	 */
	record BacklogSpan(long firstId, long lastId, Instant oldest) {

		long ids() {
			return this.lastId - this.firstId + 1;
		}

	}

	/**
	 * One event to insert: its uuid, its JSON as sent, and its idempotency key or
	 * {@code null}.
	 */
	record BacklogRow(UUID uuid, String payload, IdempotencyKey idempotencyKey) {

		BacklogRow {
			Assert.isTrue(idempotencyKey == null || idempotencyKey.eventUuid().equals(uuid),
					"a row's idempotency key carries the row's uuid");
		}

	}

}
