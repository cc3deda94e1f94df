package so.second.gateway.settings;

/**
 * A user's usage-data settings. Screen recording is never on while anonymized.
 *
 * @param anonymized whether events leave without any identifier of the user
 * @param screenRecording whether the browser records the session with PostHog replay
 */
public record UsageDataSettings(boolean anonymized, boolean screenRecording) {

	/** What a user who never changed anything has. */
	public static final UsageDataSettings DEFAULTS = new UsageDataSettings(true, false);

	public UsageDataSettings {
		if (anonymized && screenRecording) {
			throw new IllegalArgumentException("screen recording is never on while anonymized");
		}
	}

}
