package so.second.gateway.settings;

import java.time.Instant;

/**
 * A {@code usage_data_settings} row as stored, before the recording time box is applied.
 *
 * @param settings the two switches as last changed
 * @param screenRecordingSince when recording was turned on; {@code null} while it is off
 */
record StoredSettings(UsageDataSettings settings, Instant screenRecordingSince) {

	/** A user without a row. */
	static final StoredSettings DEFAULTS = new StoredSettings(UsageDataSettings.DEFAULTS, null);

}
