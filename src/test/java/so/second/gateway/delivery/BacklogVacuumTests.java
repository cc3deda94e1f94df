package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

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
 * The backlog is vacuumed by the gateway once its committed claims have removed or
 * rewritten enough rows, not only when autovacuum comes by.
 */
class BacklogVacuumTests {

	private static final Duration HOLD = Duration.ofMinutes(1);

	private final DataSource dataSource = TestDatabase.freshMigratedDatabase();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final BacklogStore store = new BacklogStore(this.dataSource);

	@Test
	void theBacklogIsVacuumedOnceCommittedClaimsHaveChurnedTheThresholdAndCountingStartsAgain() {
		for (int i = 0; i < 3; i++) {
			insert(10);
		}
		HeldBatch delivered = this.store.claim(10, Duration.ZERO, HOLD).orElseThrow();
		delivered.delivered(delivered.events());
		delivered.complete();
		HeldBatch released = this.store.claim(10, Duration.ZERO, HOLD).orElseThrow();
		released.complete(); // no outcome: nothing written, nothing counted

		assertThat(this.store.vacuumIfChurned(20)).isFalse();

		HeldBatch failed = this.store.claim(10, Duration.ZERO, HOLD).orElseThrow();
		List<ClaimedEvent> events = failed.events();
		failed.reschedule(events.subList(0, 5), Duration.ofHours(1));
		failed.deadLetter(events.subList(5, 10), "rejected", 400, "bad event");
		failed.complete();

		assertThat(this.store.vacuumIfChurned(20)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> vacuums() == 1);
		assertThat(this.store.vacuumIfChurned(20)).isFalse();
	}

	@Test
	void outcomesOfAClaimWhoseCommitFailedAreNotCounted() {
		insert(10);
		HeldBatch stuck = this.store.claim(10, Duration.ZERO, Duration.ofMillis(500)).orElseThrow();
		stuck.delivered(stuck.events());
		// PostgreSQL ends the claim's transaction
		await().atMost(Duration.ofSeconds(10)).until(() -> BacklogClaimTests.unlockedRows(this.jdbc) == 1);

		assertThatExceptionOfType(DataAccessException.class).isThrownBy(stuck::complete);
		assertThat(this.store.vacuumIfChurned(1)).isFalse();
	}

	/** One commit of {@code count} events. */
	private void insert(int count) {
		this.store.insert(IntStream.range(0, count)
			.mapToObj((i) -> new BacklogRow(UUID.randomUUID(), "{\"event\":\"e" + i + "\"}", null))
			.toList());
	}

	private long vacuums() {
		return this.jdbc.sql("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'delivery_backlog'")
			.query(Long.class)
			.single();
	}

}
