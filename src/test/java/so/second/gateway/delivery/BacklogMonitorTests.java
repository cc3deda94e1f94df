package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.delivery.BacklogStore.BacklogRow;
import so.second.gateway.delivery.BacklogStore.HeldBatch;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the monitor reads from the backlog table: the depth is the events of every commit
 * still there, plus what this instance committed since it was read; the age is that of
 * the oldest row. On a database of its own, with no workers running.
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
		BacklogMonitor monitor = refreshedMonitor();

		assertThat(monitor.depth()).isZero();
		assertThat(monitor.oldestAge()).isZero();
	}

	@Test
	void theDepthIsTheEventsOfEveryCommitLeft() {
		commit(3);
		long second = commit(5);
		commit(1);
		jdbc.sql("DELETE FROM delivery_backlog WHERE id = ?").param(second).update();

		assertThat(refreshedMonitor().depth()).isEqualTo(4);
	}

	@Test
	void whatThisInstanceCommitsAfterAReadCountsUntilTheNextRead() {
		commit(3);
		BacklogMonitor monitor = new BacklogMonitor(store, DeliveryPropertiesFixture.with(Map.of()),
				new SimpleMeterRegistry());
		monitor.refreshOnSchedule(); // the first scheduled read sums: none came before it

		commit(2);
		monitor.committed(2);
		commit(4); // another instance's commit
		assertThat(monitor.depth()).isEqualTo(5);

		monitor.refresh();
		assertThat(monitor.depth()).isEqualTo(9);
	}

	@Test
	void theAgeIsThatOfTheOldestEventLeft() {
		long first = commit(1);
		long second = commit(2);
		long third = commit(1);
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '4 hours' WHERE id = ?")
			.param(first)
			.update();
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '2 hours' WHERE id = ?")
			.param(second)
			.update();
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '3 hours' WHERE id = ?")
			.param(third)
			.update();
		jdbc.sql("DELETE FROM delivery_backlog WHERE id = ?").param(first).update();

		assertThat(refreshedMonitor().oldestAge()).isBetween(Duration.ofHours(3), Duration.ofHours(3).plusMinutes(1));
	}

	@Test
	void theAgeIsThatOfTheOldestEventEvenWhenASplitMovedItToARowWithALargerId() {
		store.insert(List.of(event(), event()));
		store.insert(List.of(event()));
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '2 hours' WHERE id = ?")
			.param(firstId())
			.update();
		jdbc.sql("UPDATE delivery_backlog SET created_at = now() - interval '1 hour' WHERE id <> ?")
			.param(firstId())
			.update();
		// the first commit's second event is retried later: a row of its own, after the
		// second commit's
		HeldBatch first = store.claim(2, Duration.ZERO, Duration.ofMinutes(1)).orElseThrow();
		first.reschedule(List.of(first.events().get(1)), Duration.ofHours(1));
		first.complete();
		HeldBatch rest = store.claim(1, Duration.ZERO, Duration.ofMinutes(1)).orElseThrow();
		rest.delivered(rest.events());
		rest.complete();

		assertThat(refreshedMonitor().oldestAge()).isBetween(Duration.ofHours(2), Duration.ofHours(2).plusMinutes(1));
	}

	@Test
	void farFromItsBoundAScheduledReadWaitsForItsTurnToSum() {
		commit(3);
		BacklogMonitor monitor = refreshedMonitor();
		monitor.nextSumAfterNanos = System.nanoTime() + Duration.ofHours(1).toNanos();

		commit(2); // another instance's commit
		monitor.refreshOnSchedule();

		assertThat(monitor.depth()).isEqualTo(3);
	}

	@Test
	void pastHalfItsBoundEveryScheduledReadSumsTheBacklog() {
		commit(3);
		BacklogMonitor monitor = new BacklogMonitor(store, DeliveryPropertiesFixture.with(Map.of("max-backlog", "4")),
				new SimpleMeterRegistry());
		monitor.refresh();
		monitor.nextSumAfterNanos = System.nanoTime() + Duration.ofHours(1).toNanos(); // far
																						// from
																						// the
																						// bound
																						// it
																						// would
																						// wait

		commit(2); // another instance's commit
		monitor.refreshOnSchedule();

		assertThat(monitor.depth()).isEqualTo(5);
	}

	private static BacklogRow event() {
		return new BacklogRow(UUID.randomUUID(), "{}", null);
	}

	private static long firstId() {
		return jdbc.sql("SELECT min(id) FROM delivery_backlog").query(Long.class).single();
	}

	private static BacklogMonitor refreshedMonitor() {
		BacklogMonitor monitor = new BacklogMonitor(store, DeliveryPropertiesFixture.with(Map.of()),
				new SimpleMeterRegistry());
		monitor.refresh();
		return monitor;
	}

	/** Stores one commit of {@code events} events; returns its row's id. */
	private static long commit(int events) {
		store
			.insert(IntStream.range(0, events).mapToObj((i) -> new BacklogRow(UUID.randomUUID(), "{}", null)).toList());
		return jdbc.sql("SELECT max(id) FROM delivery_backlog").query(Long.class).single();
	}

}
