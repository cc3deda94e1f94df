package so.second.gateway.account;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

	private final DataSource database = TestDatabase.freshMigratedDatabase();

	private ChangeNotifications notifications;

	private LastAccessThrottlingSessionRepository sessions;

	private String id;

	// two requests' reads of one session, both from the near cache
	private TrackedSession first;

	private TrackedSession second;

	@BeforeEach
	void aCachedSessionReadByTwoRequests() {
		this.sessions = repository(this.database);
		this.id = storedSession(this.sessions, "blue");
		TrackedSession[] reads = twoCachedReads(this.sessions, this.id);
		this.first = reads[0];
		this.second = reads[1];
	}

	@AfterEach
	void stopListening() {
		if (this.notifications != null) {
			this.notifications.stop();
		}
	}

	@Test
	void twoRequestsOnOneCachedSessionShareOneCopyAndAChangeThroughOneLeavesItAsStored() {
		this.first.setAttribute("colour", "red");
		this.sessions.save(this.first);

		assertThat(this.second.<String>getAttribute("colour")).isEqualTo("blue");
		ListeningChangeNotifications.awaitEverythingCommittedSoFar(this.notifications);
		assertThat(this.sessions.findById(this.id).<String>getAttribute("colour")).isEqualTo("red");
	}

	@Test
	void aRequestThatChangesASessionDeletedElsewhereNeverChangesWhatOtherRequestsRead() {
		// deleted by another instance, whose notification has not been heard yet
		new JdbcTemplate(this.database).update("DELETE FROM SPRING_SESSION WHERE SESSION_ID = ?", this.id);

		this.first.setAttribute("colour", "red");
		this.sessions.save(this.first);

		assertThat(this.second.<String>getAttribute("colour")).isEqualTo("blue");
		assertThat(this.sessions.findById(this.id)).isNull();
	}

	/**
	 * Two requests' reads of the session, both from the near cache (which is bypassed
	 * whenever the listener's heartbeat is late).
	 */
	private static TrackedSession[] twoCachedReads(LastAccessThrottlingSessionRepository sessions, String id) {
		TrackedSession[] reads = new TrackedSession[2];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			reads[0] = sessions.findById(id);
			reads[1] = sessions.findById(id);
			return reads[0].fromNearCache() && reads[1].fromNearCache();
		});
		return reads;
	}

	/**
	 * A stored session, in the near cache once the notifications of its own creation have
	 * been heard (each empties the cache of it).
	 */
	private String storedSession(LastAccessThrottlingSessionRepository sessions, String colour) {
		TrackedSession created = sessions.createSession();
		created.setAttribute("colour", colour);
		sessions.save(created);
		ListeningChangeNotifications.awaitEverythingCommittedSoFar(this.notifications);
		sessions.findById(created.getId()); // read from PostgreSQL into the cache
		return created.getId();
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
