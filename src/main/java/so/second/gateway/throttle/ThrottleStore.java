package so.second.gateway.throttle;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

import so.second.gateway.throttle.ThrottleProperties.Scope;

/**
 * The {@code sign_in_throttle} and {@code sign_in_known_address} tables. An attempt is
 * counted before the secret is checked, under row locks, so a burst of parallel guesses
 * is counted one by one: the first over the free attempts is refused whichever instance
 * it reaches.
 */
class ThrottleStore {

	private static final String INSERT_KEY_QUERY = """
			INSERT INTO sign_in_throttle (scope, key_hash, failures, last_failure_at)
			VALUES (:scope, :keyHash, 0, :now)
			ON CONFLICT (scope, key_hash) DO NOTHING
			""";

	private static final String SELECT_KEY_FOR_UPDATE_QUERY = """
			SELECT failures, last_failure_at, locked_until FROM sign_in_throttle
			WHERE scope = :scope AND key_hash = :keyHash
			FOR UPDATE
			""";

	private static final String UPDATE_KEY_QUERY = """
			UPDATE sign_in_throttle SET failures = :failures, last_failure_at = :now, locked_until = :lockedUntil
			WHERE scope = :scope AND key_hash = :keyHash
			""";

	private static final String UNDO_ATTEMPT_QUERY = """
			UPDATE sign_in_throttle
			SET failures = greatest(failures - 1, 0),
				locked_until = CASE WHEN failures - 1 < :free THEN NULL ELSE locked_until END
			WHERE scope = :scope AND key_hash = :keyHash
			""";

	private static final String DELETE_KEY_QUERY = """
			DELETE FROM sign_in_throttle WHERE scope = :scope AND key_hash = :keyHash
			""";

	private static final String DELETE_QUIET_KEYS_QUERY = """
			DELETE FROM sign_in_throttle
			WHERE last_failure_at < :quietSince AND (locked_until IS NULL OR locked_until < :now)
			""";

	private static final String UPSERT_KNOWN_ADDRESS_QUERY = """
			INSERT INTO sign_in_known_address (key_hash, last_login_at) VALUES (:keyHash, :now)
			ON CONFLICT (key_hash) DO UPDATE SET last_login_at = excluded.last_login_at
			""";

	private static final String SELECT_KNOWN_ADDRESS_QUERY = """
			SELECT count(*) FROM sign_in_known_address WHERE key_hash = :keyHash AND last_login_at >= :since
			""";

	private static final String DELETE_OLD_KNOWN_ADDRESSES_QUERY = """
			DELETE FROM sign_in_known_address WHERE last_login_at < :since
			""";

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	private final ThrottleProperties properties;

	ThrottleStore(JdbcClient jdbc, TransactionOperations transactions, ThrottleProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
	}

	/**
	 * Counts one attempt on every key, unless one of them is locked now.
	 * @return how long until the keys allow an attempt again, when one is locked (then
	 * nothing is counted)
	 */
	Optional<Duration> attempt(List<ThrottleKey> keys, Instant now) {
		// Always in the same order, so two requests never wait on each other's rows.
		List<ThrottleKey> ordered = keys.stream().sorted(Comparator.comparing(ThrottleKey::id)).toList();
		return this.transactions.execute(status -> {
			Map<ThrottleKey, Row> rows = new HashMap<>();
			Instant lockedUntil = null;
			for (ThrottleKey key : ordered) {
				this.jdbc.sql(INSERT_KEY_QUERY).params(params(key, now)).update();
				Row row = this.jdbc.sql(SELECT_KEY_FOR_UPDATE_QUERY)
					.params(params(key, now))
					.query((rs, n) -> new Row(rs.getInt("failures"), rs.getTimestamp("last_failure_at").toInstant(),
							rs.getTimestamp("locked_until") == null ? null
									: rs.getTimestamp("locked_until").toInstant()))
					.single();
				rows.put(key, row);
				if (row.lockedUntil() != null && row.lockedUntil().isAfter(now)
						&& (lockedUntil == null || row.lockedUntil().isAfter(lockedUntil))) {
					lockedUntil = row.lockedUntil();
				}
			}
			if (lockedUntil != null) {
				return Optional.of(Duration.between(now, lockedUntil));
			}
			Instant quietSince = now.minus(this.properties.window());
			for (ThrottleKey key : ordered) {
				Row row = rows.get(key);
				int failures = row.lastFailureAt().isBefore(quietSince) ? 1 : row.failures() + 1;
				Duration lock = this.properties.lockAfter(key.scope(), failures);
				Map<String, Object> params = params(key, now);
				params.put("failures", failures);
				params.put("lockedUntil", lock.isZero() ? null : Timestamp.from(now.plus(lock)));
				this.jdbc.sql(UPDATE_KEY_QUERY).params(params).update();
			}
			return Optional.<Duration>empty();
		});
	}

	/** Takes back one counted attempt (it succeeded), lifting a lock it caused. */
	void undoAttempt(ThrottleKey key, Instant now) {
		Map<String, Object> params = params(key, now);
		params.put("free", this.properties.rule(key.scope()).free());
		this.jdbc.sql(UNDO_ATTEMPT_QUERY).params(params).update();
	}

	/** Forgets a key: the secret was right. */
	void forget(ThrottleKey key) {
		this.jdbc.sql(DELETE_KEY_QUERY).params(params(key, Instant.EPOCH)).update();
	}

	void rememberKnownAddress(byte[] accountAndAddressHash, Instant now) {
		this.jdbc.sql(UPSERT_KNOWN_ADDRESS_QUERY)
			.param("keyHash", accountAndAddressHash)
			.param("now", Timestamp.from(now))
			.update();
	}

	boolean isKnownAddress(byte[] accountAndAddressHash, Instant now) {
		return this.jdbc.sql(SELECT_KNOWN_ADDRESS_QUERY)
			.param("keyHash", accountAndAddressHash)
			.param("since", Timestamp.from(now.minus(this.properties.knownAddressRetention())))
			.query(Long.class)
			.single() > 0;
	}

	/** Deletes what no longer throttles anything, so the tables stay small. */
	void deleteExpired(Instant now) {
		this.jdbc.sql(DELETE_QUIET_KEYS_QUERY)
			.param("quietSince", Timestamp.from(now.minus(this.properties.window())))
			.param("now", Timestamp.from(now))
			.update();
		this.jdbc.sql(DELETE_OLD_KNOWN_ADDRESSES_QUERY)
			.param("since", Timestamp.from(now.minus(this.properties.knownAddressRetention())))
			.update();
	}

	private static Map<String, Object> params(ThrottleKey key, Instant now) {
		Map<String, Object> params = new HashMap<>();
		params.put("scope", key.scope().name());
		params.put("keyHash", key.hash());
		params.put("now", Timestamp.from(now));
		return params;
	}

	private record Row(int failures, Instant lastFailureAt, Instant lockedUntil) {
	}

}
