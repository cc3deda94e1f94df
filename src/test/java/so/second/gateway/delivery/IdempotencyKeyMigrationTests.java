package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.delivery.BacklogStore.BacklogRow;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V8 turns the text keys of earlier versions into uuid pairs: a client that retries,
 * after the upgrade, an event accepted before it still has it stored once.
 */
class IdempotencyKeyMigrationTests {

	@Test
	void aKeyAcceptedBeforeV8StillMakesItsRetryADuplicate() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(TestDatabase.freshDatabase());
		dataSource.setUser(TestDatabase.username());
		dataSource.setPassword(TestDatabase.password());
		migrate(dataSource, "7");
		JdbcClient jdbc = JdbcClient.create(dataSource);
		UUID user = UUID.randomUUID();
		UUID accepted = UUID.randomUUID();
		jdbc.sql("INSERT INTO delivery_idempotency (key, created_at) VALUES (?, now() - interval '1 hour')")
			.param(user + ":" + accepted)
			.update();

		migrate(dataSource, "latest");

		assertThat(jdbc
			.sql("SELECT user_id, event_uuid, created_at < now() - interval '59 minutes' AS kept_its_time"
					+ " FROM delivery_idempotency")
			.query()
			.listOfRows()).containsExactly(Map.of("user_id", user, "event_uuid", accepted, "kept_its_time", true));
		BacklogStore store = new BacklogStore(dataSource);
		UUID fresh = UUID.randomUUID();
		assertThat(store.insert(List.of(row(accepted, user), row(fresh, user)))).isOne();
		assertThat(jdbc.sql("SELECT unnest(uuids) FROM delivery_backlog").query(UUID.class).list())
			.containsExactly(fresh);
		assertThat(store.pruneIdempotencyKeys(Duration.ofHours(24))).isZero();
	}

	private static BacklogRow row(UUID uuid, UUID user) {
		return new BacklogRow(uuid, "{\"event\":\"page viewed\"}", new IdempotencyKey(user, uuid));
	}

	private static void migrate(PGSimpleDataSource dataSource, String target) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(target).load().migrate();
	}

}
