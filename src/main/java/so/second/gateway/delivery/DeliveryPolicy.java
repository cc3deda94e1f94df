package so.second.gateway.delivery;

import java.time.Duration;

/**
 * What becomes of a batch after one attempt to send it, decided from PostHog's answer
 * alone: no database, no threads, no clock, so each rule has a plain test
 * ({@code DeliveryPolicyTests}). {@link DeliveryWorkers} carries the decision out.
 * <ul>
 * <li>2xx: {@link Delete} the rows;</li>
 * <li>5xx, 408, 429, a network failure or an unexpected answer: {@link RetryLater}, after
 * an exponential back-off with jitter and never sooner than {@code Retry-After};</li>
 * <li>400 (one bad event fails the whole batch at PostHog) and 413: {@link Halve} the
 * batch and send each half, down to single events, which become a
 * {@link DeadLetter};</li>
 * <li>401/403: {@link Pause} delivery; the rows go back untouched and one batch probes
 * PostHog now and then until it takes it.</li>
 * </ul>
 */
final class DeliveryPolicy {

	private final Backoff backoff;

	DeliveryPolicy(Backoff backoff) {
		this.backoff = backoff;
	}

	/**
	 * @param result PostHog's answer to the batch
	 * @param batchSize the events in the batch
	 * @param failuresInARow failed attempts in a row on this instance before this one
	 */
	Action after(SendResult result, int batchSize, int failuresInARow) {
		if (result instanceof SendResult.Delivered) {
			return new Delete();
		}
		if (result instanceof SendResult.Retry retry) {
			return new RetryLater(retry.reason(), retry.status(),
					this.backoff.delay(failuresInARow + 1, retry.retryAfter()));
		}
		if (result instanceof SendResult.Rejected rejected) {
			return halveOrDeadLetter("rejected", rejected.status(), rejected.response(), batchSize);
		}
		if (result instanceof SendResult.TooLarge tooLarge) {
			return halveOrDeadLetter("too_large", tooLarge.status(), tooLarge.response(), batchSize);
		}
		SendResult.Unauthorized unauthorized = (SendResult.Unauthorized) result;
		return new Pause(unauthorized.status());
	}

	private static Action halveOrDeadLetter(String reason, int status, String response, int batchSize) {
		return (batchSize > 1) ? new Halve(reason) : new DeadLetter(reason, status, response);
	}

	/** What to do with the batch. */
	sealed interface Action {

	}

	/** PostHog took every event: delete the rows. */
	record Delete() implements Action {
	}

	/**
	 * Give the rows a next-attempt time and hold this instance off until then.
	 *
	 * @param reason the metrics tag of the failure
	 * @param status the HTTP status, {@code null} when there was no answer
	 * @param delay how long to wait
	 */
	record RetryLater(String reason, Integer status, Duration delay) implements Action {
	}

	/**
	 * Send each half of the batch again, to find the events PostHog refuses.
	 *
	 * @param reason the metrics tag: {@code rejected} or {@code too_large}
	 */
	record Halve(String reason) implements Action {
	}

	/**
	 * Set the single event aside with PostHog's answer, for an operator to look at.
	 *
	 * @param reason the metrics tag: {@code rejected} or {@code too_large}
	 * @param status PostHog's status
	 * @param response PostHog's answer body
	 */
	record DeadLetter(String reason, int status, String response) implements Action {
	}

	/**
	 * PostHog refused the project token: give the rows back untouched and pause.
	 *
	 * @param status 401 or 403
	 */
	record Pause(int status) implements Action {
	}

}
