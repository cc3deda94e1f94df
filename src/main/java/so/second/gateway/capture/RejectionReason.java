package so.second.gateway.capture;

import java.util.Locale;

import so.second.gateway.pipeline.EventOutcome;

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

	/** The tag of a rule of the pipeline. */
	static RejectionReason of(EventOutcome.Fault fault) {
		return switch (fault) {
			case UNKNOWN_EVENT -> UNKNOWN_EVENT;
			case INVALID_ANONYMOUS_ID -> INVALID_ANONYMOUS_ID;
			case INVALID_UUID -> INVALID_UUID;
			case INVALID_EVENT -> INVALID_EVENT;
		};
	}

}
