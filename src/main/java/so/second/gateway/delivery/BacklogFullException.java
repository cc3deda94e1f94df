package so.second.gateway.delivery;

import java.time.Duration;

/**
 * The undelivered backlog is at its configured bound; capture answers 503 with
 * {@code Retry-After}.
 */
public class BacklogFullException extends RuntimeException {

	private final Duration retryAfter;

	public BacklogFullException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
