package so.second.gateway.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff lowest = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0);

	private final Backoff highest = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.999999);

	@Test
	void delayDoublesPerFailureWithJitterBetweenHalfAndAll() {
		assertThat(this.lowest.delay(1, null)).isEqualTo(Duration.ofMillis(500));
		assertThat(this.highest.delay(1, null)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
		assertThat(this.lowest.delay(4, null)).isEqualTo(Duration.ofSeconds(4));
		assertThat(this.highest.delay(4, null)).isBetween(Duration.ofMillis(7999), Duration.ofSeconds(8));
	}

	@Test
	void delayNeverExceedsTheMaximumHoweverManyFailures() {
		assertThat(this.highest.delay(1000, null)).isLessThanOrEqualTo(Duration.ofMinutes(5));
		assertThat(this.lowest.delay(Integer.MAX_VALUE, null)).isEqualTo(Duration.ofMinutes(5).dividedBy(2));
	}

	@Test
	void retryAfterLongerThanTheBackoffIsHonoured() {
		assertThat(this.lowest.delay(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.lowest.delay(10, Duration.ofSeconds(1))).isGreaterThan(Duration.ofSeconds(1));
	}

	@Test
	void retryAfterIsCappedSoABrokenHeaderCannotStopDeliveryForDays() {
		assertThat(this.lowest.delay(1, Duration.ofDays(3))).isEqualTo(Backoff.MAX_RETRY_AFTER);
	}

}
