package so.second.gateway.settings;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

import so.second.gateway.operator.PrivacyProperties;

/**
 * The operator's optional limit on how long screen recording stays on
 * ({@code SECOND_RECORDING_MAX_DURATION}). Applied wherever stored settings are read, so
 * an expired recording counts as off (and anonymization as back on) from the very instant
 * it ends, on every instance, whether or not the row was rewritten yet.
 */
@Component
class RecordingTimeBox {

	private final Duration maxDuration;

	RecordingTimeBox(PrivacyProperties privacy) {
		this.maxDuration = privacy.recordingMaxDuration();
	}

	/** The settings in force at {@code now}: the defaults once a recording ran out. */
	UsageDataSettings apply(StoredSettings stored, Instant now) {
		UsageDataSettings settings = stored.settings();
		if (!settings.screenRecording()) {
			return settings;
		}
		Instant endsAt = endsAt(stored.screenRecordingSince());
		if (endsAt == null) {
			return settings;
		}
		if (!now.isBefore(endsAt)) {
			return UsageDataSettings.DEFAULTS;
		}
		return new UsageDataSettings(settings.anonymized(), true, endsAt);
	}

	/** Whether a stored recording has run out at {@code now}. */
	boolean expired(StoredSettings stored, Instant now) {
		return stored.settings().screenRecording() && apply(stored, now).anonymized();
	}

	/** When a recording that started at {@code since} ends; {@code null} for no limit. */
	Instant endsAt(Instant since) {
		if (this.maxDuration == null || since == null) {
			return null;
		}
		return since.plus(this.maxDuration);
	}

	/** The limit, {@code null} for none. */
	Duration maxDuration() {
		return this.maxDuration;
	}

}
