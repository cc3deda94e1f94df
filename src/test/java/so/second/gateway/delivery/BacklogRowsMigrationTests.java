package so.second.gateway.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.delivery.BacklogStore.HeldBatch;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V9 turns the backlog's rows into commits: every event an earlier version queued becomes
 * a row of one event, with its id, attempts and due time, and is claimed and delivered as
 * any other.
 */
class BacklogRowsMigrationTests {

	@Test
	void eventsQueuedBeforeV9StayQueuedAsTheyWere() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(TestDatabase.freshDatabase());
		dataSource.setUser(TestDatabase.username());
		dataSource.setPassword(TestDatabase.password());
		migrate(dataSource, "8");
		JdbcClient jdbc = JdbcClient.create(dataSource);
		UUID due = UUID.randomUUID();
		UUID retried = UUID.randomUUID();
		jdbc.sql("INSERT INTO delivery_backlog (uuid, payload) VALUES (?, '{\"event\":\"due\"}')").param(due).update();
		jdbc.sql("""
				INSERT INTO delivery_backlog (uuid, payload, attempts, next_attempt_at)
				VALUES (?, '{"event":"retried"}', 3, now() + interval '1 hour')
				""").param(retried).update();

		migrate(dataSource, "latest");

		assertThat(jdbc
			.sql("SELECT uuids[1] AS uuid, payloads[1] AS payload, event_count, attempts"
					+ " FROM delivery_backlog ORDER BY id")
			.query()
			.listOfRows())
			.containsExactly(Map.of("uuid", due, "payload", "{\"event\":\"due\"}", "event_count", 1, "attempts", 0),
					Map.of("uuid", retried, "payload", "{\"event\":\"retried\"}", "event_count", 1, "attempts", 3));
		HeldBatch batch = new BacklogStore(dataSource).claim(10, Duration.ZERO, Duration.ofMinutes(1)).orElseThrow();
		assertThat(batch.events()).extracting(ClaimedEvent::uuid).containsExactly(due);
		batch.delivered(batch.events());
		batch.complete();
		assertThat(jdbc.sql("SELECT uuids[1] FROM delivery_backlog").query(UUID.class).list()).containsExactly(retried);
	}

	private static void migrate(PGSimpleDataSource dataSource, String target) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(target).load().migrate();
	}

}
