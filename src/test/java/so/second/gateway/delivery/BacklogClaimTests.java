package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.delivery.BacklogStore.BacklogRow;
import so.second.gateway.delivery.BacklogStore.HeldBatch;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A claim is a transaction that holds its rows (a commit of events each) locked until
 * PostHog has answered: which rows it takes, what another claim sees meanwhile, what each
 * outcome writes, how a commit whose events fare differently is split, and how a claim
 * that is never completed lets go. On a database of its own, with no workers running.
 */
class BacklogClaimTests {

	private static final Duration LINGER = Duration.ofMinutes(10);

	private static final Duration HOLD = Duration.ofMinutes(1);

	static BacklogStore store;

	static JdbcClient jdbc;

	@BeforeAll
	static void migratedDatabase() {
		DataSource dataSource = TestDatabase.freshMigratedDatabase();
		jdbc = JdbcClient.create(dataSource);
		store = new BacklogStore(dataSource);
	}

	@BeforeEach
	void emptyBacklog() {
		jdbc.sql("DELETE FROM delivery_backlog").update();
	}

	@Test
	void aShortBatchThatHasNotLingeredIsNotClaimedAndHoldsNoLocks() {
		commits(1, 1, 1);

		assertThat(store.claim(10, LINGER, HOLD)).isEmpty();
		assertThat(unlockedRows(jdbc)).isEqualTo(3);
	}

	@Test
	void aFullBatchOrOneThatHasLingeredIsClaimed() {
		commits(1, 2);

		HeldBatch lingered = store.claim(10, Duration.ZERO, HOLD).orElseThrow();
		assertThat(lingered.events()).hasSize(3);
		lingered.complete();

		HeldBatch full = store.claim(3, LINGER, HOLD).orElseThrow();
		assertThat(full.events()).hasSize(3);
		full.complete();
	}

	@Test
	void aClaimTakesWholeCommitsInOrderUntilTheyHoldItsLimit() {
		List<List<UUID>> commits = commits(2, 2, 2);

		HeldBatch batch = store.claim(3, LINGER, HOLD).orElseThrow();

		// the second commit starts below the limit of 3, the third at 4
		assertThat(batch.events()).extracting(ClaimedEvent::uuid)
			.containsExactly(commits.get(0).get(0), commits.get(0).get(1), commits.get(1).get(0),
					commits.get(1).get(1));
		assertThat(unlockedRows(jdbc)).isOne();
		batch.complete();
	}

	@Test
	void aShortCommitBehindOneAnotherClaimHoldsWaitsForItsLinger() {
		commits(5, 1);
		HeldBatch first = store.claim(5, LINGER, HOLD).orElseThrow();

		// the backlog held a full batch, but not one this claim can take
		assertThat(store.claim(5, LINGER, HOLD)).isEmpty();
		assertThat(unlockedRows(jdbc)).isOne();
		first.complete();
	}

	@Test
	void oneCommitBiggerThanTheLimitIsClaimedWhole() {
		commits(5);

		assertThat(store.claim(3, LINGER, HOLD)).hasValueSatisfying((batch) -> {
			assertThat(batch.events()).hasSize(5);
			batch.complete();
		});
	}

	@Test
	void rowsHeldByOneClaimAreNotClaimedByAnother() {
		commits(1, 1, 1, 1, 1);
		HeldBatch first = store.claim(3, LINGER, HOLD).orElseThrow();

		HeldBatch second = store.claim(3, Duration.ZERO, HOLD).orElseThrow();

		assertThat(second.events()).hasSize(2).doesNotContainAnyElementsOf(first.events());
		assertThat(store.claim(3, Duration.ZERO, HOLD)).isEmpty();
		first.complete();
		second.complete();
	}

	@Test
	void aCommitWhoseEventsAllGetOneOutcomeIsWrittenAsOneRow() {
		List<List<UUID>> commits = commits(2, 2);
		HeldBatch batch = store.claim(4, LINGER, HOLD).orElseThrow();
		List<ClaimedEvent> events = batch.events();
		// a commit may be answered in parts (the chunks of a batch)
		batch.delivered(List.of(events.get(0)));
		batch.delivered(List.of(events.get(1)));
		batch.reschedule(events.subList(2, 4), Duration.ofHours(1));

		batch.complete();

		assertThat(backlog()).containsExactly(new Row(commits.get(1).get(0), 1, false),
				new Row(commits.get(1).get(1), 1, false));
		assertThat(rows()).isOne();
	}

	@Test
	void completingSplitsACommitByOutcomeAndReleasesTheEventsGivenNone() {
		List<UUID> uuids = commits(5).get(0);
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '1 hour'").update();
		HeldBatch batch = store.claim(5, LINGER, HOLD).orElseThrow();
		List<ClaimedEvent> events = batch.events();
		batch.delivered(List.of(events.get(0)));
		batch.reschedule(List.of(events.get(1), events.get(4)), Duration.ofHours(1));
		batch.deadLetter(List.of(events.get(2)), "rejected", 400, "bad event");
		assertThat(backlog()).hasSize(5); // nothing is visible before the batch completes

		batch.complete();

		assertThat(backlog()).containsExactly(new Row(uuids.get(3), 0, true), new Row(uuids.get(1), 1, false),
				new Row(uuids.get(4), 1, false));
		assertThat(jdbc.sql("SELECT count(*) FROM delivery_backlog WHERE created_at < now() - interval '59 minutes'")
			.query(Long.class)
			.single()).as("both parts keep when their events were accepted").isEqualTo(2);
		assertThat(jdbc.sql("SELECT uuid FROM delivery_dead_letter WHERE attempts = 1 AND reason = 'rejected'")
			.query(UUID.class)
			.list()).containsExactly(uuids.get(2));
		assertThat(store.claim(1, LINGER, HOLD)).hasValueSatisfying((released) -> {
			assertThat(released.events()).extracting(ClaimedEvent::uuid).containsExactly(uuids.get(3));
			released.complete();
		});
	}

	@Test
	void eventsSetAsideTogetherKeepTheirOrderInTheDeadLetterTable() {
		List<UUID> uuids = commits(3).get(0);
		HeldBatch batch = store.claim(3, LINGER, HOLD).orElseThrow();

		batch.deadLetter(batch.events(), "too_large", 413, null);
		batch.complete();

		assertThat(backlog()).isEmpty();
		assertThat(jdbc.sql("SELECT uuid FROM delivery_dead_letter WHERE reason = 'too_large' ORDER BY id")
			.query(UUID.class)
			.list()).containsExactlyElementsOf(uuids);
	}

	@Test
	void aSplitThatFailsWhenTheClaimEndsKeepsNothingAndReleasesTheRowAtOnce() {
		commits(2);
		HeldBatch batch = store.claim(2, LINGER, HOLD).orElseThrow();
		// the dead-letter table refuses a null reason: the split of this row fails
		batch.deadLetter(List.of(batch.events().get(0)), null, null, null);

		assertThatExceptionOfType(DataAccessException.class).isThrownBy(batch::complete);
		assertThat(unlockedRows(jdbc)).isOne();
		assertThat(backlog()).hasSize(2).allMatch((row) -> row.due() && row.attempts() == 0);
		assertThat(
				jdbc.sql("SELECT count(*) FROM delivery_dead_letter WHERE reason IS NULL").query(Long.class).single())
			.isZero();
	}

	@Test
	void anEventGetsOneOutcome() {
		commits(2);
		HeldBatch batch = store.claim(2, LINGER, HOLD).orElseThrow();
		batch.delivered(List.of(batch.events().get(0)));

		assertThatIllegalStateException()
			.isThrownBy(() -> batch.reschedule(List.of(batch.events().get(0)), Duration.ofHours(1)));
		batch.complete();
	}

	@Test
	void aClaimHeldPastItsLimitIsEndedByPostgresAndItsEventsAreDueAgain() {
		commits(1, 1);
		HeldBatch stuck = store.claim(2, LINGER, Duration.ofMillis(500)).orElseThrow();
		stuck.delivered(stuck.events());

		await().atMost(Duration.ofSeconds(10)).until(() -> unlockedRows(jdbc) == 2);

		assertThatExceptionOfType(DataAccessException.class).isThrownBy(stuck::complete);
		assertThat(backlog()).hasSize(2).allMatch(Row::due);
	}

	/** Stores commits of these many events each, in order; returns their uuids. */
	private static List<List<UUID>> commits(int... sizes) {
		return IntStream.of(sizes).mapToObj((size) -> {
			List<BacklogRow> rows = IntStream.range(0, size)
				.mapToObj((i) -> new BacklogRow(UUID.randomUUID(), "{\"event\":\"e" + i + "\"}", null))
				.toList();
			store.insert(rows);
			return rows.stream().map(BacklogRow::uuid).toList();
		}).toList();
	}

	private static long rows() {
		return jdbc.sql("SELECT count(*) FROM delivery_backlog").query(Long.class).single();
	}

	/** Backlog rows no open claim holds. */
	static long unlockedRows(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM delivery_backlog FOR UPDATE SKIP LOCKED) AS unlocked")
			.query(Long.class)
			.single();
	}

	/** The backlog's events, in the order a claim takes them. */
	private static List<Row> backlog() {
		return jdbc.sql("""
				SELECT event.uuid, attempts, next_attempt_at <= now() AS due
				FROM delivery_backlog, unnest(uuids) WITH ORDINALITY AS event (uuid, position)
				ORDER BY next_attempt_at, id, position
				""")
			.query((rs, rowNum) -> new Row(rs.getObject("uuid", UUID.class), rs.getInt("attempts"),
					rs.getBoolean("due")))
			.list();
	}

	record Row(UUID uuid, int attempts, boolean due) {
	}

}
