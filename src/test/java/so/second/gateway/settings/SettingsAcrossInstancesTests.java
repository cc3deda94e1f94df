package so.second.gateway.settings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import so.second.gateway.database.ChangeNotifications;
import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The settings rule of {@code docs/api.md} ("Usage-data settings") with two instances on
 * one database: a settings change answered by instance A and the next event through
 * instance B. Toward more privacy B never lags; toward less privacy B may lag by at most
 * a second, also across a lost notification connection. Events stay in the backlog
 * (PostHog is unreachable), where their stored payload shows how they would leave.
 */
class SettingsAcrossInstancesTests {

	private static final String SETTINGS = "/api/settings/usage-data";

	private static String database;

	private static GatewayInstance first;

	private static GatewayInstance second;

	private ApiClient onFirst;

	private ApiClient onSecond;

	private TestUser user;

	private final String anonymousId = "anon_" + UUID.randomUUID();

	@BeforeAll
	static void startTwoInstances() {
		database = TestDatabase.freshDatabase();
		String[] args = { "--second.analytics.token=phc_SettingsAcrossInstances01",
				"--second.analytics.host=http://127.0.0.1:9", "--spring.jmx.enabled=false",
				"--spring.main.banner-mode=off" };
		first = GatewayInstance.start(database, args);
		second = GatewayInstance.start(database, args);
	}

	@AfterAll
	static void stopThem() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@BeforeEach
	void oneUserOnBothInstances() {
		this.onFirst = first.newBrowser();
		this.user = this.onFirst.signUpAndOnboard();
		this.onSecond = second.newBrowser();
		this.onFirst.shareCookiesWith(this.onSecond);
		awaitListening();
	}

	@Test
	void anonymizationTurnedOnThroughOneInstanceAppliesToTheVeryNextEventThroughTheOther() throws SQLException {
		assertThat(this.onFirst.put(SETTINGS, Map.of("anonymized", false)).status()).isEqualTo(200);
		assertThat(distinctIdOf(captureThrough(this.onSecond))).isEqualTo(this.user.id());

		assertThat(this.onFirst.put(SETTINGS, Map.of("anonymized", true)).status()).isEqualTo(200);

		assertThat(distinctIdOf(captureThrough(this.onSecond))).isEqualTo(this.anonymousId);
	}

	@Test
	void anonymizationTurnedOffThroughOneInstanceReachesTheOtherWithinASecond() throws SQLException {
		// the second instance now holds this user as anonymized
		assertThat(distinctIdOf(captureThrough(this.onSecond))).isEqualTo(this.anonymousId);

		assertThat(this.onFirst.put(SETTINGS, Map.of("anonymized", false)).status()).isEqualTo(200);

		await().atMost(ChangeNotifications.MAX_LAG)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> distinctIdOf(captureThrough(this.onSecond)).equals(this.user.id()));
	}

	@Test
	void aLostNotificationConnectionClearsTheCacheSoAChangeStillArrivesWithinASecond() throws SQLException {
		assertThat(distinctIdOf(captureThrough(this.onSecond))).isEqualTo(this.anonymousId);

		terminateNotificationConnections();
		assertThat(this.onFirst.put(SETTINGS, Map.of("anonymized", false)).status()).isEqualTo(200);

		await().atMost(ChangeNotifications.MAX_LAG)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> distinctIdOf(captureThrough(this.onSecond)).equals(this.user.id()));
		awaitListening();
		assertThat(this.onFirst.put(SETTINGS, Map.of("anonymized", true)).status()).isEqualTo(200);
		assertThat(distinctIdOf(captureThrough(this.onSecond))).isEqualTo(this.anonymousId);
	}

	private static void awaitListening() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> first.bean(ChangeNotifications.class).live() && second.bean(ChangeNotifications.class).live());
	}

	/** Captures one event with a fresh client uuid and answers that uuid. */
	private UUID captureThrough(ApiClient browser) {
		UUID uuid = UUID.randomUUID();
		ApiClient.Reply reply = browser.post("/api/analytics/capture", Map.of("event", "page viewed", "anonymousId",
				this.anonymousId, "uuid", uuid.toString(), "properties", Map.of("surface", "settings")));
		assertThat(reply.status()).as(reply.body()).isEqualTo(202);
		return uuid;
	}

	private static String distinctIdOf(UUID uuid) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT payloads[array_position(uuids, ?::uuid)]::json ->> 'distinct_id' FROM delivery_backlog WHERE ?::uuid = ANY(uuids)")) {
			statement.setObject(1, uuid);
			statement.setObject(2, uuid);
			try (ResultSet rows = statement.executeQuery()) {
				return Optional.of(rows).filter(SettingsAcrossInstancesTests::next).map((row) -> {
					try {
						return row.getString(1);
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				}).orElseThrow(() -> new IllegalStateException("no stored event " + uuid));
			}
		}
	}

	private static boolean next(ResultSet rows) {
		try {
			return rows.next();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void terminateNotificationConnections() throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
					+ "WHERE application_name = 'gateway-change-notifications' AND datname = current_database()");
		}
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
	}

}
