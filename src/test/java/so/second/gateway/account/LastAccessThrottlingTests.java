package so.second.gateway.account;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed-in user's requests write the session's last-access time only when the stored
 * one is older than the allowed lag, while a logout still ends the session at once.
 */
class LastAccessThrottlingTests {

	private static final String LAST_ACCESS_QUERY = "SELECT count(*), max(LAST_ACCESS_TIME) FROM SPRING_SESSION";

	@Test
	void requestsWithinTheLagLeaveTheStoredSessionUntouchedAndLogoutStillEndsIt() throws SQLException {
		String database = TestDatabase.freshDatabase();
		try (GatewayInstance gateway = GatewayInstance.start(database)) {
			ApiClient browser = gateway.newBrowser();
			browser.signUpAndOnboard();
			long[] before = lastAccess(database);
			assertThat(before[0]).isEqualTo(1);

			for (int i = 0; i < 5; i++) {
				assertThat(browser.get("/api/me").status()).isEqualTo(200);
			}

			assertThat(lastAccess(database)).containsExactly(before);
			assertThat(browser.post("/api/auth/logout", null).status()).isEqualTo(204);
			assertThat(browser.get("/api/me").status()).isEqualTo(401);
		}
	}

	@Test
	void lagIsAMinuteOrAShareOfAShortTimeout() {
		assertThat(LastAccessThrottlingSessionRepository.lastAccessLag(Duration.ofDays(14)))
			.isEqualTo(Duration.ofMinutes(1));
		assertThat(LastAccessThrottlingSessionRepository.lastAccessLag(Duration.ofMinutes(10)))
			.isEqualTo(Duration.ofSeconds(30));
	}

	private static long[] lastAccess(String database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database, TestDatabase.username(),
				TestDatabase.password());
				PreparedStatement statement = connection.prepareStatement(LAST_ACCESS_QUERY);
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			return new long[] { rows.getLong(1), rows.getLong(2) };
		}
	}

}
