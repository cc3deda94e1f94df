package so.second.gateway.settings;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
			SELECT anonymized, screen_recording, screen_recording_since FROM usage_data_settings WHERE user_id = :userId
			""";

	// Locks the user's row, creating it with the defaults first, so two concurrent
	// changes apply one after the other.
	private static final String INSERT_DEFAULT_SETTINGS_QUERY = """
			INSERT INTO usage_data_settings (user_id, anonymized, screen_recording)
			VALUES (:userId, TRUE, FALSE)
			ON CONFLICT (user_id) DO NOTHING
			""";

	private static final String SELECT_SETTINGS_FOR_UPDATE_QUERY = """
			SELECT anonymized, screen_recording, screen_recording_since FROM usage_data_settings
			WHERE user_id = :userId FOR UPDATE
			""";

	private static final String UPDATE_SETTINGS_QUERY = """
			UPDATE usage_data_settings
			SET anonymized = :anonymized, screen_recording = :screenRecording,
				screen_recording_since = :screenRecordingSince, updated_at = now()
			WHERE user_id = :userId
			""";

	// Rewrites a recording that ran out the way the time box already reads it; only that
	// recording, so a newer one started meanwhile stays.
	private static final String END_RECORDING_QUERY = """
			UPDATE usage_data_settings
			SET anonymized = TRUE, screen_recording = FALSE, screen_recording_since = NULL, updated_at = now()
			WHERE user_id = :userId AND screen_recording AND screen_recording_since = :screenRecordingSince
			""";

	private final JdbcClient jdbc;

	UsageDataSettingsRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<StoredSettings> find(UUID userId) {
		return this.jdbc.sql(SELECT_SETTINGS_QUERY).param("userId", userId).query((rs, row) -> stored(rs)).optional();
	}

	/** Must run in a transaction: the row stays locked until it ends. */
	StoredSettings lock(UUID userId) {
		this.jdbc.sql(INSERT_DEFAULT_SETTINGS_QUERY).param("userId", userId).update();
		return this.jdbc.sql(SELECT_SETTINGS_FOR_UPDATE_QUERY)
			.param("userId", userId)
			.query((rs, row) -> stored(rs))
			.single();
	}

	void update(UUID userId, UsageDataSettings settings, Instant screenRecordingSince) {
		this.jdbc.sql(UPDATE_SETTINGS_QUERY)
			.param("userId", userId)
			.param("anonymized", settings.anonymized())
			.param("screenRecording", settings.screenRecording())
			.param("screenRecordingSince", timestamp(screenRecordingSince))
			.update();
	}

	void endRecording(UUID userId, Instant screenRecordingSince) {
		this.jdbc.sql(END_RECORDING_QUERY)
			.param("userId", userId)
			.param("screenRecordingSince", timestamp(screenRecordingSince))
			.update();
	}

	private static StoredSettings stored(ResultSet rs) throws SQLException {
		Timestamp since = rs.getTimestamp("screen_recording_since");
		return new StoredSettings(new UsageDataSettings(rs.getBoolean("anonymized"), rs.getBoolean("screen_recording")),
				since == null ? null : since.toInstant());
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

}
