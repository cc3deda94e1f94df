package so.second.gateway.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter: after the n-th failure in a row, wait between half
 * and all of {@code base × 2^(n-1)}, at most {@code max}; never less than PostHog's
 * {@code Retry-After} (itself capped, so a broken header cannot stop delivery for days).
 * The jitter spreads the retries of many instances apart.
 */
final class Backoff {

	/** The longest {@code Retry-After} honoured. */
	static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

	private final Duration base;

	private final Duration max;

	private final DoubleSupplier random;

	/**
	 * @param random uniform numbers in [0, 1) for the jitter; called from any thread
	 */
	Backoff(Duration base, Duration max, DoubleSupplier random) {
		this.base = base;
		this.max = max;
		this.random = random;
	}

	/**
	 * @param failures failures in a row, at least 1
	 * @param retryAfter what PostHog asked for, or {@code null}
	 */
	Duration delay(int failures, Duration retryAfter) {
		int doublings = Math.min(Math.max(failures, 1) - 1, 30);
		long ceiling = Math.min(this.max.toMillis(), saturatedShift(this.base.toMillis(), doublings));
		long jittered = ceiling / 2 + (long) (this.random.getAsDouble() * (ceiling - ceiling / 2));
		Duration delay = Duration.ofMillis(Math.max(jittered, 1));
		if (retryAfter != null && !retryAfter.isNegative()) {
			Duration asked = (retryAfter.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : retryAfter;
			if (asked.compareTo(delay) > 0) {
				return asked;
			}
		}
		return delay;
	}

	private static long saturatedShift(long value, int bits) {
		return (value > (Long.MAX_VALUE >> bits)) ? Long.MAX_VALUE : value << bits;
	}

}
