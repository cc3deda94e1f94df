package so.second.gateway.capture;

import java.util.Locale;

import so.second.gateway.pipeline.EventOutcome;

/**
 * The reasons the HTTP edge refuses events before or after the pipeline, as a metric tag
 * beside the pipeline's own {@link EventOutcome.Fault faults}; the answer's text names
 * the detail.
 */
enum RejectionReason {

	BODY_TOO_LARGE, INVALID_BODY, RATE_LIMITED, BACKLOG_FULL, UNAVAILABLE;

	String tag() {
		return tag(this);
	}

	/** The metric tag of an edge reason or a pipeline fault: its name in lower case. */
	static String tag(Enum<?> reason) {
		return reason.name().toLowerCase(Locale.ROOT);
	}

}
