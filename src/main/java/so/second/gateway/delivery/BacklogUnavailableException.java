package so.second.gateway.delivery;

import java.time.Duration;

/**
 * The backlog could not be written (the database is unreachable); nothing was accepted
 * and capture answers 503 with {@code Retry-After}.
 */
public class BacklogUnavailableException extends RuntimeException {

	private final Duration retryAfter;

	public BacklogUnavailableException(String message, Throwable cause, Duration retryAfter) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
