package so.second.gateway.delivery;

import java.time.Duration;

/**
 * What one request to PostHog's batch API came to, as far as delivery cares.
 */
sealed interface SendResult {

	/** PostHog took every event of the batch (2xx). */
	record Delivered(int status) implements SendResult {
	}

	/**
	 * Worth trying again later: 5xx, 408, 429, a network failure, or an answer the
	 * gateway does not expect (nothing is dropped on a guess).
	 *
	 * @param reason a metrics tag: {@code server_error}, {@code rate_limited},
	 * {@code timeout}, {@code network} or {@code unexpected_status}
	 * @param status the HTTP status, or {@code null} when there was no answer
	 * @param retryAfter PostHog's {@code Retry-After}, or {@code null}
	 */
	record Retry(String reason, Integer status, Duration retryAfter) implements SendResult {
	}

	/** PostHog called the batch malformed (400): at least one event in it is bad. */
	record Rejected(int status, String response) implements SendResult {
	}

	/** The request was too large for PostHog (413). */
	record TooLarge(int status, String response) implements SendResult {
	}

	/** PostHog refused the project token (401 or 403). */
	record Unauthorized(int status) implements SendResult {
	}

}
