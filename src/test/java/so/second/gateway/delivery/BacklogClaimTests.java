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
import static org.awaitility.Awaitility.await;

/**
 * A claim is a transaction that holds its rows locked until PostHog has answered: what
 * another claim sees meanwhile, what each outcome writes, and how a claim that is never
 * completed lets go. On a database of its own, with no workers running.
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
		insert(3);

		assertThat(store.claim(10, LINGER, HOLD)).isEmpty();
		assertThat(unlockedRows(jdbc)).isEqualTo(3);
	}

	@Test
	void aFullBatchOrOneThatHasLingeredIsClaimed() {
		insert(3);

		HeldBatch lingered = store.claim(10, Duration.ZERO, HOLD).orElseThrow();
		assertThat(lingered.events()).hasSize(3);
		lingered.complete();

		HeldBatch full = store.claim(3, LINGER, HOLD).orElseThrow();
		assertThat(full.events()).hasSize(3);
		full.complete();
	}

	@Test
	void rowsHeldByOneClaimAreNotClaimedByAnother() {
		insert(5);
		HeldBatch first = store.claim(3, LINGER, HOLD).orElseThrow();

		HeldBatch second = store.claim(3, Duration.ZERO, HOLD).orElseThrow();

		assertThat(second.events()).hasSize(2).doesNotContainAnyElementsOf(first.events());
		assertThat(store.claim(3, Duration.ZERO, HOLD)).isEmpty();
		first.complete();
		second.complete();
	}

	@Test
	void completingWritesEveryOutcomeAndReleasesTheEventsGivenNone() {
		insert(4);
		HeldBatch batch = store.claim(4, LINGER, HOLD).orElseThrow();
		List<ClaimedEvent> events = batch.events();
		batch.delivered(List.of(events.get(0).id()));
		batch.reschedule(List.of(events.get(1).id()), Duration.ofHours(1));
		batch.deadLetter(List.of(events.get(2).id()), "rejected", 400, "bad event");
		assertThat(backlog()).hasSize(4); // nothing is written before the batch completes

		batch.complete();

		assertThat(backlog()).containsExactlyInAnyOrder(new Row(events.get(1).uuid(), 1, false),
				new Row(events.get(3).uuid(), 0, true));
		assertThat(jdbc.sql("SELECT uuid FROM delivery_dead_letter WHERE uuid = ? AND attempts = 1")
			.param(events.get(2).uuid())
			.query(UUID.class)
			.list()).hasSize(1);
		assertThat(store.claim(1, LINGER, HOLD)).hasValueSatisfying((released) -> {
			assertThat(released.events()).extracting(ClaimedEvent::uuid).containsExactly(events.get(3).uuid());
			released.complete();
		});
	}

	@Test
	void aClaimHeldPastItsLimitIsEndedByPostgresAndItsEventsAreDueAgain() {
		insert(2);
		HeldBatch stuck = store.claim(2, LINGER, Duration.ofMillis(500)).orElseThrow();
		stuck.delivered(stuck.events().stream().map(ClaimedEvent::id).toList());

		await().atMost(Duration.ofSeconds(10)).until(() -> unlockedRows(jdbc) == 2);

		assertThatExceptionOfType(DataAccessException.class).isThrownBy(stuck::complete);
		assertThat(backlog()).hasSize(2).allMatch(Row::due);
	}

	private static List<UUID> insert(int count) {
		List<BacklogRow> rows = IntStream.range(0, count)
			.mapToObj((i) -> new BacklogRow(UUID.randomUUID(), "{\"event\":\"e" + i + "\"}", null))
			.toList();
		store.insert(rows);
		return rows.stream().map(BacklogRow::uuid).toList();
	}

	/** Backlog rows no open claim holds. */
	static long unlockedRows(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM delivery_backlog FOR UPDATE SKIP LOCKED) AS unlocked")
			.query(Long.class)
			.single();
	}

	private static List<Row> backlog() {
		return jdbc.sql("SELECT uuid, attempts, next_attempt_at <= now() AS due FROM delivery_backlog")
			.query((rs, rowNum) -> new Row(rs.getObject("uuid", UUID.class), rs.getInt("attempts"),
					rs.getBoolean("due")))
			.list();
	}

	record Row(UUID uuid, int attempts, boolean due) {
	}

}
