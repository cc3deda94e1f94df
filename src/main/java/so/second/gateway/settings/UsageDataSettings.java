package so.second.gateway.settings;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user's usage-data settings. Screen recording is never on while anonymized.
 *
 * @param anonymized whether events leave without any identifier of the user
 * @param screenRecording whether the browser records the session with PostHog replay
 * @param screenRecordingEndsAt when the operator's recording time box turns recording off
 * again; {@code null} (and left out of answers) when recording is off or has no limit
 */
public record UsageDataSettings(boolean anonymized, boolean screenRecording,
		@JsonInclude(JsonInclude.Include.NON_NULL) Instant screenRecordingEndsAt) {

	/** What a user who never changed anything has. */
	public static final UsageDataSettings DEFAULTS = new UsageDataSettings(true, false);

	public UsageDataSettings {
		if (anonymized && screenRecording) {
			throw new IllegalArgumentException("screen recording is never on while anonymized");
		}
		if (!screenRecording) {
			screenRecordingEndsAt = null;
		}
	}

	/** Settings without a recording time box. */
	public UsageDataSettings(boolean anonymized, boolean screenRecording) {
		this(anonymized, screenRecording, null);
	}

}
