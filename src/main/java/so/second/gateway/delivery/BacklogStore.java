package so.second.gateway.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * V7, V8 and V9 changed them). Times are the database's clock, so instances with skewed
 * clocks still agree on due times.
 */
final class BacklogStore implements DeadLetters {

	// One statement, so one round trip and one commit (autocommit): the keys first, then
	// one row with the events whose key was new or that have none, in order. Keys are
	// unique per call.
	private static final String INSERT_EVENTS_QUERY = """
			WITH event AS (
				SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[]) WITH ORDINALITY AS event (uuid, payload, user_id, position)
			),
			fresh AS (
				INSERT INTO delivery_idempotency (user_id, event_uuid)
				SELECT user_id, uuid FROM event WHERE user_id IS NOT NULL
				ON CONFLICT (user_id, event_uuid) DO NOTHING
				RETURNING user_id, event_uuid
			),
			kept AS (
				SELECT event.uuid, event.payload, event.position
				FROM event
				WHERE event.user_id IS NULL OR (event.user_id, event.uuid) IN (SELECT user_id, event_uuid FROM fresh)
			)
			INSERT INTO delivery_backlog (uuids, payloads, event_count)
			SELECT array_agg(uuid ORDER BY position), array_agg(payload ORDER BY position), count(*)
			FROM kept
			HAVING count(*) > 0
			RETURNING event_count
			""";

	// Locks the due rows (FOR UPDATE SKIP LOCKED: rows another claim holds are passed
	// over) and returns their events, in order, only when they make a full batch or the
	// oldest has lingered long enough; otherwise nothing, and the caller ends the
	// transaction at once. The locks are the claim: a row is written only when its
	// outcome is known. A row is one commit of events, so a batch is the rows, in order,
	// until they hold the limit: the last may take it past the limit by less than one
	// commit. Stopping short of the limit instead made the claims of capture's peak a
	// third smaller, and delivery, whose claims follow each other on one thread, fell
	// behind.
	//
	// A row lock is a write, and most looks under a steady trickle find a short batch
	// that must wait; so the same test is made first without locks, on what is due
	// ("waiting"). It can only err towards ready (it also counts the rows open claims
	// hold, so while a claim is open it helps less), never skip a ready batch, so the
	// test on the locked rows it takes stays the one that decides. The unlocked test also
	// says how many rows to lock; when rows at the head are held by another claim, the
	// rows locked in their place may hold more events than the batch takes, and those are
	// released, as they were, when this claim ends. The events come with their row's rank
	// in the batch and their position in the row, and are put in that order here: an
	// ORDER BY would make PostgreSQL sort the payloads themselves.
	private static final String CLAIM_EVENTS_QUERY = """
			WITH waiting AS (
				SELECT created_at, event_count, sum(event_count) OVER (ORDER BY next_attempt_at, id) - event_count AS before
				FROM (
					SELECT id, created_at, event_count, next_attempt_at FROM delivery_backlog
					WHERE next_attempt_at <= now()
					ORDER BY next_attempt_at, id
					LIMIT ?
				) AS head
			),
			batch AS (
				SELECT count(*) FILTER (WHERE before < ?) AS fit_rows,
					coalesce(sum(event_count), 0) >= ? AS filled,
					min(created_at) <= now() - ? * interval '1 millisecond' AS lingered
				FROM waiting
			),
			due AS (
				SELECT id, uuids, payloads, event_count, attempts, created_at, next_attempt_at FROM delivery_backlog
				WHERE next_attempt_at <= now() AND (SELECT filled OR lingered FROM batch)
				ORDER BY next_attempt_at, id
				LIMIT (SELECT fit_rows FROM batch)
				FOR UPDATE SKIP LOCKED
			),
			taken AS (
				SELECT due.*, row_number() OVER (ORDER BY next_attempt_at, id) AS rank,
					sum(event_count) OVER (ORDER BY next_attempt_at, id) - event_count AS before
				FROM due
			),
			fitting AS (
				SELECT * FROM taken WHERE before < ?
			)
			SELECT fitting.id, fitting.rank, event.position, event.uuid, event.payload, fitting.attempts
			FROM fitting, unnest(fitting.uuids, fitting.payloads) WITH ORDINALITY AS event (uuid, payload, position)
			WHERE (SELECT sum(event_count) FROM fitting) >= ?
				OR (SELECT min(created_at) FROM fitting) <= now() - ? * interval '1 millisecond'
			""";

	// A claim's transaction waits for PostHog with no statement running: this bounds how
	// long a hung or partitioned instance can hold its rows (PostgreSQL ends the
	// session).
	private static final String HOLD_AT_MOST_QUERY = """
			SELECT set_config('idle_in_transaction_session_timeout', ?, true)
			""";

	private static final String KEEP_HOLDING_QUERY = """
			SELECT 1
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

	// The parts of a row that a split keeps (see HeldBatch#split): the first goes back
	// into the row itself, so it keeps its id and its created_at, the others into rows of
	// their own that copy the row's times (the monitor's sum finds their age). A null
	// delay keeps the row's due time and attempts: events that got no
	// outcome are released as they were.
	private static final String UPDATE_SPLIT_ROW_QUERY = """
			UPDATE delivery_backlog
			SET uuids = ?::uuid[], payloads = ?::text[], event_count = ?, attempts = attempts + ?,
				next_attempt_at = coalesce(statement_timestamp() + ?::bigint * interval '1 millisecond', next_attempt_at)
			WHERE id = ?
			""";

	private static final String INSERT_SPLIT_ROW_QUERY = """
			INSERT INTO delivery_backlog (uuids, payloads, event_count, attempts, next_attempt_at, created_at)
			SELECT ?::uuid[], ?::text[], ?, attempts + ?,
				coalesce(statement_timestamp() + ?::bigint * interval '1 millisecond', next_attempt_at), created_at
			FROM delivery_backlog
			WHERE id = ?
			""";

	private static final String MOVE_TO_DEAD_LETTER_QUERY = """
			INSERT INTO delivery_dead_letter (uuid, payload, attempts, reason, status, response, created_at, dead_at)
			SELECT event.uuid, event.payload, row.attempts + 1, ?, ?, ?, row.created_at, statement_timestamp()
			FROM delivery_backlog AS row, unnest(?::uuid[], ?::text[]) WITH ORDINALITY AS event (uuid, payload, position)
			WHERE row.id = ?
			ORDER BY event.position
			""";

	// A sum over every row: a sequential scan, short because a row is a commit of events
	// (whose arrays, past about 2 kB, are stored out of line: V9). It also finds the
	// oldest row, which is not always the one with the smallest id: the rows a split
	// adds keep the time of the row they came from. The monitor paces it by how long it
	// takes.
	private static final String SUM_EVENTS_QUERY = """
			SELECT coalesce(sum(event_count), 0) AS events, min(created_at) AS oldest FROM delivery_backlog
			""";

	// A probe of the primary key: the row with the smallest id holds the oldest events
	// but for those of a split (see SUM_EVENTS_QUERY).
	private static final String SELECT_OLDEST_QUERY = """
			SELECT created_at FROM delivery_backlog ORDER BY id LIMIT 1
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
			INSERT INTO delivery_backlog (uuids, payloads, event_count)
			SELECT ARRAY[uuid], ARRAY[payload], 1 FROM revived
			""";

	private static final String MOVE_ALL_DEAD_LETTERS_TO_BACKLOG_QUERY = """
			WITH revived AS (
				DELETE FROM delivery_dead_letter
				RETURNING id, uuid, payload
			)
			INSERT INTO delivery_backlog (uuids, payloads, event_count)
			SELECT ARRAY[uuid], ARRAY[payload], 1 FROM revived ORDER BY id
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

	// Events whose rows committed claims deleted or rewrote since the last vacuum of the
	// backlog.
	private final AtomicLong churnSinceVacuum = new AtomicLong();

	private volatile long nextVacuumAfterNanos = System.nanoTime();

	BacklogStore(DataSource dataSource) {
		Assert.notNull(dataSource, "dataSource must not be null");
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
	}

	/**
	 * Inserts the events of one commit as one backlog row, and their idempotency keys, in
	 * one statement (so one transaction): an event whose key was seen before is skipped.
	 * @param rows the events of every append in this commit, keys already unique among
	 * them
	 * @return how many events were stored; the others were duplicates of accepted events
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
		return this.jdbc.sql(INSERT_EVENTS_QUERY)
			.params(uuids, payloads, senders)
			.query(Integer.class)
			.optional()
			.orElse(0);
	}

	/**
	 * Claims about {@code limit} due events (whole rows, until they hold {@code limit}:
	 * the last may take it past by less than one commit) in a transaction of their own,
	 * which holds them locked until {@link HeldBatch#complete()}: no other claim, on any
	 * instance, can take them meanwhile, and if this process dies PostgreSQL rolls the
	 * transaction back and they are due again at once. Claims none (and ends the
	 * transaction) while fewer than {@code limit} are due and the oldest of them was
	 * accepted less than {@code linger} ago.
	 * @param holdAtMost how long the transaction may wait for its outcome before
	 * PostgreSQL ends it
	 */
	Optional<HeldBatch> claim(int limit, Duration linger, Duration holdAtMost) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		HeldBatch held = null;
		try {
			connection.setAutoCommit(false);
			JdbcClient transaction = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			List<Ranked> ranked = transaction.sql(CLAIM_EVENTS_QUERY)
				.params(limit, limit, limit, linger.toMillis(), limit, limit, linger.toMillis())
				.query((rs, rowNum) -> new Ranked(rs.getLong("rank"),
						new ClaimedEvent(rs.getLong("id"), rs.getInt("position") - 1, rs.getObject("uuid", UUID.class),
								rs.getString("payload"), rs.getInt("attempts"))))
				.list();
			List<ClaimedEvent> events = ranked.stream().sorted(Ranked.ORDER).map(Ranked::event).toList();
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
	 * Undelivered events, summed over every row (a sequential scan of the table), and
	 * when the oldest was accepted.
	 */
	BacklogSum sum() {
		return this.jdbc.sql(SUM_EVENTS_QUERY).query((rs, rowNum) -> {
			Timestamp oldest = rs.getTimestamp("oldest");
			return new BacklogSum(rs.getLong("events"), (oldest != null) ? oldest.toInstant() : null);
		}).single();
	}

	/**
	 * When the events of the row with the smallest id were accepted (the oldest, but for
	 * those of a split); empty when there is none.
	 */
	Optional<Instant> oldestById() {
		return this.jdbc.sql(SELECT_OLDEST_QUERY)
			.query((rs, rowNum) -> rs.getTimestamp("created_at").toInstant())
			.optional();
	}

	long countDeadLetters() {
		return this.jdbc.sql(COUNT_DEAD_LETTERS_QUERY).query(Long.class).single();
	}

	/**
	 * Vacuums the backlog table (docs/delivery.md, "Tables", says why) once this
	 * instance's committed claims have deleted or rewritten the rows of at least
	 * {@code threshold} events since the last time, and the last vacuum has been over for
	 * nine times as long as it ran: when something holds PostgreSQL's vacuum horizon
	 * back, a vacuum removes nothing and takes longer each time, and this keeps it to a
	 * tenth of one connection.
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
	 * recorded as it comes (from any thread, one at a time), and a row whose events all
	 * have their outcome is written into the transaction at once, which also restarts
	 * PostgreSQL's idle clock, so a batch sent in several requests keeps its claim as
	 * long as each answer comes within the call timeout. {@link #complete()} writes the
	 * rows whose events got different outcomes or only some an outcome, then commits them
	 * all at once. An event given no outcome (its send was cancelled, or PostHog refused
	 * the token) is simply released, due as it was.
	 */
	static final class HeldBatch {

		private static final Outcome DELIVERED = new Delivered();

		private static final Outcome RELEASED = new Released();

		private final Connection connection;

		private final JdbcClient transaction;

		private final List<ClaimedEvent> events;

		private final Map<Long, ClaimedRow> rows = new LinkedHashMap<>();

		private final AtomicLong churnSinceVacuum;

		private boolean ended;

		private int eventsWritten;

		private HeldBatch(Connection connection, JdbcClient transaction, List<ClaimedEvent> events,
				AtomicLong churnSinceVacuum) {
			this.connection = connection;
			this.transaction = transaction;
			this.events = events;
			this.churnSinceVacuum = churnSinceVacuum;
			for (ClaimedEvent event : events) {
				this.rows.computeIfAbsent(event.rowId(), ClaimedRow::new).add(event);
			}
			this.rows.values().forEach(ClaimedRow::claimed);
		}

		List<ClaimedEvent> events() {
			return this.events;
		}

		/** PostHog took them: they are deleted. */
		synchronized void delivered(Collection<ClaimedEvent> delivered) {
			decide(delivered, DELIVERED);
		}

		/** They are sent again after {@code delay}, counted as one more attempt. */
		synchronized void reschedule(Collection<ClaimedEvent> failed, Duration delay) {
			decide(failed, new Retry(delay));
		}

		/**
		 * PostHog will never take them: they move to the dead-letter table, with its
		 * answer.
		 */
		synchronized void deadLetter(Collection<ClaimedEvent> refused, String reason, Integer status, String response) {
			decide(refused, new SetAside(reason, status, response));
		}

		/**
		 * Restarts PostgreSQL's idle clock when an answer writes nothing yet (it settled
		 * part of a row, or halved a batch): the claim's transaction lives as long as
		 * each answer comes within the lease.
		 */
		synchronized void keepHolding() {
			requireOpen();
			this.transaction.sql(KEEP_HOLDING_QUERY).query(Integer.class).single();
		}

		/**
		 * Writes what is left, then commits every outcome written. If that fails, nothing
		 * of it is kept and every event of the batch is due again as it was (sent again
		 * with the same uuid, which PostHog de-duplicates).
		 */
		synchronized void complete() {
			requireOpen();
			this.ended = true;
			try {
				for (ClaimedRow row : this.rows.values()) {
					if (!row.written && row.undecided < row.events.size()) {
						split(row);
					}
				}
			}
			catch (RuntimeException | Error ex) {
				// nothing is kept, and the connection goes back to the pool
				endTransaction(this.connection, false);
				throw ex;
			}
			endTransaction(this.connection, true);
			this.churnSinceVacuum.addAndGet(this.eventsWritten);
		}

		private void decide(Collection<ClaimedEvent> decided, Outcome outcome) {
			requireOpen();
			List<ClaimedRow> settled = new ArrayList<>();
			for (ClaimedEvent event : decided) {
				ClaimedRow row = this.rows.get(event.rowId());
				Assert.state(row != null && row.outcomes[event.position()] == null,
						"each event of a claim gets one outcome");
				row.outcomes[event.position()] = outcome;
				row.undecided--;
				if (row.undecided == 0) {
					settled.add(row);
				}
			}
			List<Long> deleted = new ArrayList<>();
			Map<Duration, List<Long>> rescheduled = new LinkedHashMap<>();
			for (ClaimedRow row : settled) {
				Outcome only = row.onlyOutcome();
				if (only == DELIVERED) {
					deleted.add(row.id);
					row.written(this);
				}
				else if (only instanceof Retry retry) {
					rescheduled.computeIfAbsent(retry.delay(), (delay) -> new ArrayList<>()).add(row.id);
					row.written(this);
				}
				else {
					split(row);
				}
			}
			if (!deleted.isEmpty()) {
				this.transaction.sql(DELETE_DELIVERED_QUERY).param(ids(deleted)).update();
			}
			rescheduled.forEach((delay,
					ids) -> this.transaction.sql(UPDATE_RESCHEDULED_QUERY).params(delay.toMillis(), ids(ids)).update());
			if (settled.isEmpty()) {
				keepHolding();
			}
		}

		/**
		 * Writes a row whose events got different outcomes, or only some of them one: the
		 * events set aside move to the dead-letter table, the delivered ones go, and each
		 * group of the others (rescheduled by one delay, or released) stays as a row of
		 * its own, in the order it had. The first group keeps the row (its id and when it
		 * was accepted); the statements that read the row run before it is changed.
		 */
		private void split(ClaimedRow row) {
			Map<Outcome, List<ClaimedEvent>> parts = new LinkedHashMap<>();
			for (int i = 0; i < row.events.size(); i++) {
				Outcome outcome = (row.outcomes[i] != null) ? row.outcomes[i] : RELEASED;
				parts.computeIfAbsent(outcome, (key) -> new ArrayList<>()).add(row.events.get(i));
			}
			List<Map.Entry<Outcome, List<ClaimedEvent>>> kept = new ArrayList<>();
			for (Map.Entry<Outcome, List<ClaimedEvent>> part : parts.entrySet()) {
				if (part.getKey() instanceof SetAside letter) {
					this.transaction.sql(MOVE_TO_DEAD_LETTER_QUERY)
						.params(letter.reason(), letter.status(), letter.response(), uuids(part.getValue()),
								payloads(part.getValue()), row.id)
						.update();
				}
				else if (part.getKey() != DELIVERED) {
					kept.add(part);
				}
			}
			for (Map.Entry<Outcome, List<ClaimedEvent>> part : kept.subList(Math.min(1, kept.size()), kept.size())) {
				keep(INSERT_SPLIT_ROW_QUERY, row, part.getKey(), part.getValue());
			}
			if (kept.isEmpty()) {
				this.transaction.sql(DELETE_DELIVERED_QUERY).param(ids(List.of(row.id))).update();
			}
			else {
				keep(UPDATE_SPLIT_ROW_QUERY, row, kept.get(0).getKey(), kept.get(0).getValue());
			}
			row.written(this);
		}

		private void keep(String query, ClaimedRow row, Outcome outcome, List<ClaimedEvent> part) {
			Long delayMillis = (outcome instanceof Retry retry) ? retry.delay().toMillis() : null;
			this.transaction.sql(query)
				.params(uuids(part), payloads(part), part.size(), (delayMillis != null) ? 1 : 0, delayMillis, row.id)
				.update();
		}

		private void requireOpen() {
			Assert.state(!this.ended, "the claim has already ended");
		}

		private static UUID[] uuids(List<ClaimedEvent> events) {
			return events.stream().map(ClaimedEvent::uuid).toArray(UUID[]::new);
		}

		private static String[] payloads(List<ClaimedEvent> events) {
			return events.stream().map(ClaimedEvent::payload).toArray(String[]::new);
		}

		/** One claimed row: the events of one commit, and the outcome each has so far. */
		private static final class ClaimedRow {

			private final long id;

			private final List<ClaimedEvent> events = new ArrayList<>();

			private Outcome[] outcomes;

			private int undecided;

			private boolean written;

			ClaimedRow(long id) {
				this.id = id;
			}

			void add(ClaimedEvent event) {
				Assert.state(event.position() == this.events.size(), "a row's events are claimed in order");
				this.events.add(event);
			}

			/** All its events are added: none has an outcome yet. */
			void claimed() {
				this.outcomes = new Outcome[this.events.size()];
				this.undecided = this.events.size();
			}

			/** The outcome all its events got, or {@code null} when they differ. */
			Outcome onlyOutcome() {
				Outcome first = this.outcomes[0];
				for (Outcome each : this.outcomes) {
					if (!first.equals(each)) {
						return null;
					}
				}
				return first;
			}

			void written(HeldBatch batch) {
				this.written = true;
				batch.eventsWritten += this.events.size();
			}

		}

		private sealed interface Outcome permits Delivered, Retry, SetAside, Released {

		}

		private record Delivered() implements Outcome {
		}

		private record Retry(Duration delay) implements Outcome {
		}

		private record SetAside(String reason, Integer status, String response) implements Outcome {
		}

		/** No outcome: the event stays as it was. */
		private record Released() implements Outcome {
		}

	}

	/**
	 * The backlog's events and when the oldest was accepted ({@code null} when there is
	 * none).
	 */
	record BacklogSum(long events, Instant oldest) {
	}

	/** A claimed event and the rank of its row in the batch. */
	private record Ranked(long rank, ClaimedEvent event) {

		static final Comparator<Ranked> ORDER = Comparator.comparingLong(Ranked::rank)
			.thenComparingInt((ranked) -> ranked.event().position());

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
