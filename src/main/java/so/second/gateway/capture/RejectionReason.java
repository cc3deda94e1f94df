package so.second.gateway.capture;

import java.util.Locale;

/**
 * The few reasons an event is refused, as a metric tag; the answer's text names the
 * detail.
 */
enum RejectionReason {

	UNKNOWN_EVENT, INVALID_ANONYMOUS_ID, INVALID_UUID, INVALID_EVENT, BODY_TOO_LARGE, INVALID_BODY, RATE_LIMITED,
	BACKLOG_FULL, UNAVAILABLE;

	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Sorts a pipeline rejection into a tag by what its sentence names. */
	static RejectionReason ofPipelineReason(String reason) {
		if (reason.startsWith("unknown event name")) {
			return UNKNOWN_EVENT;
		}
		if (reason.startsWith("anonymousId")) {
			return INVALID_ANONYMOUS_ID;
		}
		if (reason.startsWith("uuid")) {
			return INVALID_UUID;
		}
		return INVALID_EVENT;
	}

}
