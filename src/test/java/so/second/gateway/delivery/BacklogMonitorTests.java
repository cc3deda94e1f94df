package so.second.gateway.delivery;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the monitor reads from the backlog table: a short backlog is counted row by row, a
 * long one far below its bound stands at its id span without a count, and near the bound
 * it is counted again. On a database of its own, with no workers running.
 */
class BacklogMonitorTests {

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
	void anEmptyBacklogHasNoDepthAndNoAge() {
		BacklogMonitor monitor = refreshedMonitor("1000000");

		assertThat(monitor.depth()).isZero();
		assertThat(monitor.oldestAge()).isZero();
	}

	@Test
	void aShortBacklogIsCountedRowByRowEvenWithGapsInItsIds() {
		long first = insert(10);
		deleteIds(first + 3, first + 5);

		assertThat(refreshedMonitor("1000000").depth()).isEqualTo(7);
	}

	@Test
	void aBacklogWhoseIdsSpanExactlyTheCountedLimitIsStillCounted() {
		long first = insert((int) BacklogMonitor.EXACT_COUNT_SPAN);
		deleteIds(first + 100, first + 109);

		assertThat(refreshedMonitor("1000000").depth()).isEqualTo(BacklogMonitor.EXACT_COUNT_SPAN - 10);
	}

	@Test
	void aLongerBacklogFarBelowALargeBoundStandsAtItsIdSpanAnUpperBound() {
		long first = insert((int) BacklogMonitor.EXACT_COUNT_SPAN + 1);
		deleteIds(first + 1_000, first + 1_999);

		// 9 001 rows are left, over ids that span 10 001
		assertThat(refreshedMonitor("1000000").depth()).isEqualTo(BacklogMonitor.EXACT_COUNT_SPAN + 1);
	}

	@Test
	void aBacklogPastHalfItsBoundIsCountedRowByRow() {
		long first = insert(100_001);
		deleteIds(first + 1_000, first + 1_999);

		// a span of 100 001 is past half of 200 000, where the count decides
		assertThat(refreshedMonitor("200000").depth()).isEqualTo(99_001);
	}

	@Test
	void underASmallBoundTheBacklogIsAlwaysCounted() {
		long first = insert(20_000);
		deleteIds(first + 1_000, first + 5_999);

		// a span of 20 000 is far below half of 199 999, but a bound that small is
		// always counted
		assertThat(refreshedMonitor(String.valueOf(BacklogMonitor.SMALLEST_BOUND_FOR_SPANS - 1)).depth())
			.isEqualTo(15_000);
	}

	@Test
	void theAgeIsThatOfTheRowWithTheSmallestId() {
		long first = insert(3);
		// ids grow with acceptance, so in a real backlog that row is the oldest; here the
		// times are set by hand to show which row is read
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '2 hours' WHERE id = ?")
			.param(first + 1)
			.update();
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '3 hours' WHERE id = ?")
			.param(first + 2)
			.update();
		deleteIds(first, first);

		assertThat(refreshedMonitor("1000000").oldestAge()).isBetween(Duration.ofHours(2),
				Duration.ofHours(2).plusMinutes(1));
	}

	private static BacklogMonitor refreshedMonitor(String maxBacklog) {
		BacklogMonitor monitor = new BacklogMonitor(store,
				DeliveryPropertiesFixture.with(Map.of("max-backlog", maxBacklog)), new SimpleMeterRegistry());
		monitor.refresh();
		return monitor;
	}

	/** Inserts rows with consecutive ids; returns the first. */
	private static long insert(int rows) {
		return jdbc.sql("""
				WITH inserted AS (
					INSERT INTO delivery_backlog (uuid, payload)
					SELECT gen_random_uuid(), '{}' FROM generate_series(1, ?)
					RETURNING id
				)
				SELECT min(id) FROM inserted
				""").param(rows).query(Long.class).single();
	}

	private static void deleteIds(long from, long to) {
		jdbc.sql("DELETE FROM delivery_backlog WHERE id BETWEEN ? AND ?").params(from, to).update();
	}

}
