package so.second.gateway.account;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.account.LastAccessThrottlingSessionRepository.TrackedSession;
import so.second.gateway.database.ChangeNotifications;
import so.second.gateway.database.ListeningChangeNotifications;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The session near cache on a real PostgreSQL: requests on a cached session share one
 * copy, and only ever read it.
 */
class SessionNearCacheTests {

	private ChangeNotifications notifications;

	@AfterEach
	void stopListening() {
		if (this.notifications != null) {
			this.notifications.stop();
		}
	}

	@Test
	void aRequestThatChangesASessionDeletedElsewhereNeverChangesWhatOtherRequestsRead() {
		DataSource database = TestDatabase.freshMigratedDatabase();
		LastAccessThrottlingSessionRepository sessions = repository(database);
		TrackedSession created = sessions.createSession();
		created.setAttribute("colour", "blue");
		sessions.save(created);
		// the creation's own notification empties the cache once more
		await().atMost(Duration.ofSeconds(10)).until(() -> sessions.findById(created.getId()).fromNearCache());
		TrackedSession first = sessions.findById(created.getId());
		TrackedSession second = sessions.findById(created.getId());
		assertThat(first.fromNearCache() && second.fromNearCache()).isTrue();
		// deleted by another instance, whose notification has not been heard yet
		new JdbcTemplate(database).update("DELETE FROM SPRING_SESSION WHERE SESSION_ID = ?", created.getId());

		first.setAttribute("colour", "red");
		sessions.save(first);

		assertThat(second.<String>getAttribute("colour")).isEqualTo("blue");
		assertThat(sessions.findById(created.getId())).isNull();
	}

	private LastAccessThrottlingSessionRepository repository(DataSource database) {
		PGSimpleDataSource postgres = (PGSimpleDataSource) database;
		this.notifications = ListeningChangeNotifications.forDatabase(postgres.getUrl(), TestDatabase.username(),
				TestDatabase.password());
		JdbcIndexedSessionRepository jdbc = new JdbcIndexedSessionRepository(new JdbcTemplate(database),
				new TransactionTemplate(new DataSourceTransactionManager(database)));
		jdbc.setConversionService(SessionAttributeConversion.create(getClass().getClassLoader()));
		LastAccessThrottlingSessionRepository sessions = new LastAccessThrottlingSessionRepository(jdbc,
				this.notifications);
		ListeningChangeNotifications.startAndAwaitLive(this.notifications);
		return sessions;
	}

}
