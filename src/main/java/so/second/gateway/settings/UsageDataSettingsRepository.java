package so.second.gateway.settings;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code usage_data_settings} table; a missing row means
 * {@link UsageDataSettings#DEFAULTS}.
 */
@Repository
class UsageDataSettingsRepository {

	private static final String SELECT_SETTINGS_QUERY = """
			SELECT anonymized, screen_recording FROM usage_data_settings WHERE user_id = :userId
			""";

	// Locks the user's row, creating it with the defaults first, so two concurrent
	// changes apply
	// one after the other.
	private static final String INSERT_DEFAULT_SETTINGS_QUERY = """
			INSERT INTO usage_data_settings (user_id, anonymized, screen_recording)
			VALUES (:userId, TRUE, FALSE)
			ON CONFLICT (user_id) DO NOTHING
			""";

	private static final String SELECT_SETTINGS_FOR_UPDATE_QUERY = """
			SELECT anonymized, screen_recording FROM usage_data_settings WHERE user_id = :userId FOR UPDATE
			""";

	private static final String UPDATE_SETTINGS_QUERY = """
			UPDATE usage_data_settings
			SET anonymized = :anonymized, screen_recording = :screenRecording, updated_at = now()
			WHERE user_id = :userId
			""";

	private final JdbcClient jdbc;

	UsageDataSettingsRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<UsageDataSettings> find(UUID userId) {
		return this.jdbc.sql(SELECT_SETTINGS_QUERY)
			.param("userId", userId)
			.query((rs, row) -> new UsageDataSettings(rs.getBoolean("anonymized"), rs.getBoolean("screen_recording")))
			.optional();
	}

	/** Must run in a transaction: the row stays locked until it ends. */
	UsageDataSettings lock(UUID userId) {
		this.jdbc.sql(INSERT_DEFAULT_SETTINGS_QUERY).param("userId", userId).update();
		return this.jdbc.sql(SELECT_SETTINGS_FOR_UPDATE_QUERY)
			.param("userId", userId)
			.query((rs, row) -> new UsageDataSettings(rs.getBoolean("anonymized"), rs.getBoolean("screen_recording")))
			.single();
	}

	void update(UUID userId, UsageDataSettings settings) {
		this.jdbc.sql(UPDATE_SETTINGS_QUERY)
			.param("userId", userId)
			.param("anonymized", settings.anonymized())
			.param("screenRecording", settings.screenRecording())
			.update();
	}

}
