package so.second.gateway.capture;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserRateLimiterTests {

	final AtomicLong now = new AtomicLong();

	final UserRateLimiter limiter = new UserRateLimiter(10, 20, Duration.ofMinutes(1), this.now::get);

	@Test
	void burstIsAllowedAtOnceThenTheWaitIsWhatTheMissingTokensTake() {
		assertThat(this.limiter.acquire("u", 20)).isZero();

		assertThat(this.limiter.acquire("u", 5)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void tokensComeBackAtTheSustainedRate() {
		this.limiter.acquire("u", 20);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());

		assertThat(this.limiter.acquire("u", 10)).isZero();
		assertThat(this.limiter.acquire("u", 1)).isPositive();
	}

	@Test
	void usersHaveTheirOwnBuckets() {
		this.limiter.acquire("a", 20);

		assertThat(this.limiter.acquire("b", 20)).isZero();
	}

	@Test
	void idleUsersAreForgotten() {
		this.limiter.acquire("a", 1);
		this.limiter.acquire("b", 1);
		this.now.addAndGet(Duration.ofMinutes(2).toNanos());
		this.limiter.acquire("b", 1);

		assertThat(this.limiter.evictIdle()).as("a, idle for two minutes").isOne();
		assertThat(this.limiter.evictIdle()).as("nobody left to forget but b, who is active").isZero();
	}

}
