package so.second.gateway.capture;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user: {@code burst} events at once, then {@code ratePerSecond}. It
 * lives in each instance's memory, so with N instances behind a balancer one user's
 * ceiling is at most N times the rate: the limit exists to stop a runaway or hostile
 * client from filling the backlog, and a bounded multiple does that without a database
 * round trip per request.
 */
final class UserRateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final double ratePerNano;

	private final double burst;

	private final long idleEvictionNanos;

	private final LongSupplier clock;

	private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

	UserRateLimiter(int ratePerSecond, int burst, Duration idleEviction, LongSupplier nanoClock) {
		this.ratePerNano = (double) ratePerSecond / NANOS_PER_SECOND;
		this.burst = burst;
		this.idleEvictionNanos = idleEviction.toNanos();
		this.clock = nanoClock;
	}

	/**
	 * Takes {@code events} tokens from the user's bucket.
	 * @return {@link Duration#ZERO} when allowed, otherwise how long until that many
	 * tokens are there
	 */
	Duration acquire(String userId, int events) {
		long now = this.clock.getAsLong();
		Bucket bucket = this.buckets.computeIfAbsent(userId, id -> new Bucket(this.burst, now));
		synchronized (bucket) {
			bucket.refill(now, this.ratePerNano, this.burst);
			double wanted = Math.min(events, this.burst);
			if (bucket.tokens >= wanted) {
				bucket.tokens -= wanted;
				return Duration.ZERO;
			}
			long waitNanos = (long) Math.ceil((wanted - bucket.tokens) / this.ratePerNano);
			return Duration.ofNanos(waitNanos);
		}
	}

	/**
	 * Forgets users who have been idle long enough that their bucket would be full
	 * anyway.
	 * @return how many were forgotten
	 */
	int evictIdle() {
		long now = this.clock.getAsLong();
		int before = this.buckets.size();
		this.buckets.entrySet().removeIf(entry -> now - entry.getValue().updatedAt > this.idleEvictionNanos);
		return before - this.buckets.size();
	}

	private static final class Bucket {

		private double tokens;

		private long updatedAt;

		Bucket(double tokens, long now) {
			this.tokens = tokens;
			this.updatedAt = now;
		}

		void refill(long now, double ratePerNano, double burst) {
			this.tokens = Math.min(burst, this.tokens + (now - this.updatedAt) * ratePerNano);
			this.updatedAt = now;
		}

	}

}
