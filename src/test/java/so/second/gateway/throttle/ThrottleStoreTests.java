package so.second.gateway.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.support.TestDatabase;
import so.second.gateway.throttle.ThrottleProperties.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throttle's counting in PostgreSQL with a clock the test moves: free attempts, the
 * doubling delays, their caps and the quiet window that forgets.
 */
class ThrottleStoreTests {

	static final ThrottleProperties DEFAULTS = new Binder(new MapConfigurationPropertySource())
		.bindOrCreate("second.throttle", Bindable.of(ThrottleProperties.class));

	static ThrottleStore store;

	static JdbcClient jdbc;

	final Instant start = Instant.parse("2030-01-01T00:00:00Z");

	@BeforeAll
	static void migratedDatabase() {
		DataSource dataSource = TestDatabase.freshMigratedDatabase();
		jdbc = JdbcClient.create(dataSource);
		store = new ThrottleStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				DEFAULTS);
	}

	static ThrottleKey key(String email) {
		return ThrottleKey.accountAndAddress(Scope.LOGIN_ACCOUNT_AND_ADDRESS, email, "192.0.2.1");
	}

	@Test
	void defaultsAreFiveFreeAttemptsThenOneSecondDoublingUpToFifteenMinutes() {
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT_AND_ADDRESS, 4)).isZero();
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT_AND_ADDRESS, 5)).hasSeconds(1);
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT_AND_ADDRESS, 6)).hasSeconds(2);
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT_AND_ADDRESS, 9)).hasSeconds(16);
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT_AND_ADDRESS, 500)).isEqualTo(Duration.ofMinutes(15));
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT, 49)).isZero();
		assertThat(DEFAULTS.lockAfter(Scope.LOGIN_ACCOUNT, 500)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void attemptsWithinTheFreeOnesAreCountedAndTheNextWaitsTheFirstDelay() {
		ThrottleKey key = key("free@example.com");
		for (int i = 0; i < 5; i++) {
			assertThat(store.attempt(List.of(key), this.start.plusMillis(i))).isEmpty();
		}

		assertThat(store.attempt(List.of(key), this.start.plusMillis(500))).contains(Duration.ofMillis(504));
		assertThat(store.attempt(List.of(key), this.start.plusSeconds(1).plusMillis(5))).isEmpty();
		assertThat(store.attempt(List.of(key), this.start.plusSeconds(2)))
			.hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1005)));
	}

	@Test
	void refusedAttemptsAreNotCountedAndDoNotLengthenTheLock() {
		ThrottleKey key = key("refused@example.com");
		for (int i = 0; i < 5; i++) {
			store.attempt(List.of(key), this.start);
		}
		for (int i = 0; i < 100; i++) {
			store.attempt(List.of(key), this.start.plusMillis(i));
		}

		assertThat(store.attempt(List.of(key), this.start.plusSeconds(1))).isEmpty();
	}

	@Test
	void aKeyQuietForTheWindowStartsAgain() {
		ThrottleKey key = key("quiet@example.com");
		Instant at = this.start;
		for (int i = 0; i < 10; i++) {
			at = at.plus(Duration.ofMinutes(15));
			store.attempt(List.of(key), at);
		}
		Instant quietLater = at.plus(Duration.ofMinutes(15)).plusSeconds(1);

		for (int i = 0; i < 5; i++) {
			assertThat(store.attempt(List.of(key), quietLater)).isEmpty();
		}
		assertThat(store.attempt(List.of(key), quietLater)).contains(Duration.ofSeconds(1));
	}

	@Test
	void anyLockedKeyRefusesTheAttemptAndNoneOfTheKeysIsCounted() {
		ThrottleKey locked = key("locked@example.com");
		ThrottleKey other = ThrottleKey.address(Scope.LOGIN_ADDRESS, "192.0.2.77");
		for (int i = 0; i < 5; i++) {
			store.attempt(List.of(locked), this.start);
		}

		Optional<Duration> refused = store.attempt(List.of(other, locked), this.start);

		assertThat(refused).contains(Duration.ofSeconds(1));
		assertThat(jdbc.sql("SELECT failures FROM sign_in_throttle WHERE scope = 'LOGIN_ADDRESS' AND key_hash = :hash")
			.param("hash", other.hash())
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void aForgottenKeyStartsAgainAndExpiredKeysAreDeleted() {
		ThrottleKey key = key("forgotten@example.com");
		for (int i = 0; i < 5; i++) {
			store.attempt(List.of(key), this.start);
		}
		store.forget(key);
		assertThat(store.attempt(List.of(key), this.start)).isEmpty();

		store.deleteExpired(this.start.plus(Duration.ofHours(1)));

		assertThat(jdbc.sql("SELECT count(*) FROM sign_in_throttle WHERE key_hash = :hash")
			.param("hash", key.hash())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void ipv6AddressesCountByTheirSlash64() {
		assertThat(ThrottleKey.normalizedAddress("2001:db8:1:2:aaaa::1"))
			.isEqualTo(ThrottleKey.normalizedAddress("2001:db8:1:2:ffff:ffff:ffff:ffff"))
			.isNotEqualTo(ThrottleKey.normalizedAddress("2001:db8:1:3::1"));
		assertThat(ThrottleKey.normalizedAddress("192.0.2.1")).isEqualTo("192.0.2.1");
	}

}
