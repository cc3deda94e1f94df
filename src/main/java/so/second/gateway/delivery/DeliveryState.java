package so.second.gateway.delivery;

import java.util.Locale;

/**
 * Where delivery to PostHog stands on this instance.
 */
enum DeliveryState {

	/** Analytics are off for this deployment: nothing is stored or sent. */
	DISABLED,

	/** The last send went through (or none has been tried yet). */
	HEALTHY,

	/**
	 * Sends are failing with something worth retrying (5xx, 429, network); events wait in
	 * the backlog.
	 */
	RETRYING,

	/**
	 * PostHog refused the project token (401/403); nothing is sent until a periodic probe
	 * succeeds.
	 */
	PAUSED;

	/** The lower-case name used in metrics tags and health details. */
	String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
