package so.second.gateway.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPolicyTests {

	// the lowest jitter: the n-th failure in a row waits exactly half of base × 2^(n-1)
	private final DeliveryPolicy policy = new DeliveryPolicy(
			new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0));

	@Test
	void aBatchPostHogTookIsDeleted() {
		assertThat(this.policy.after(new SendResult.Delivered(200), 1000, 3)).isEqualTo(new DeliveryPolicy.Delete());
	}

	@Test
	void aFailureWorthRetryingWaitsLongerForEachFailureInARow() {
		SendResult serverError = new SendResult.Retry("server_error", 503, null);

		assertThat(this.policy.after(serverError, 10, 0))
			.isEqualTo(new DeliveryPolicy.RetryLater("server_error", 503, Duration.ofMillis(500)));
		assertThat(this.policy.after(serverError, 10, 3))
			.isEqualTo(new DeliveryPolicy.RetryLater("server_error", 503, Duration.ofSeconds(4)));
	}

	@Test
	void aRetryNeverComesSoonerThanPostHogsRetryAfter() {
		SendResult rateLimited = new SendResult.Retry("rate_limited", 429, Duration.ofSeconds(30));

		assertThat(this.policy.after(rateLimited, 10, 0))
			.isEqualTo(new DeliveryPolicy.RetryLater("rate_limited", 429, Duration.ofSeconds(30)));
	}

	@Test
	void aNetworkFailureIsRetriedWithoutAStatus() {
		assertThat(this.policy.after(new SendResult.Retry("network", null, null), 10, 0))
			.isEqualTo(new DeliveryPolicy.RetryLater("network", null, Duration.ofMillis(500)));
	}

	@Test
	void aRejectedBatchIsHalvedToFindTheBadEvent() {
		assertThat(this.policy.after(new SendResult.Rejected(400, "{\"type\":\"validation_error\"}"), 2, 0))
			.isEqualTo(new DeliveryPolicy.Halve("rejected"));
	}

	@Test
	void aRejectedSingleEventBecomesADeadLetterWithPostHogsAnswer() {
		assertThat(this.policy.after(new SendResult.Rejected(400, "{\"type\":\"validation_error\"}"), 1, 0))
			.isEqualTo(new DeliveryPolicy.DeadLetter("rejected", 400, "{\"type\":\"validation_error\"}"));
	}

	@Test
	void aBatchTooLargeForPostHogIsHalvedDownToASingleEventThatIsSetAside() {
		SendResult tooLarge = new SendResult.TooLarge(413, "too large");

		assertThat(this.policy.after(tooLarge, 1000, 0)).isEqualTo(new DeliveryPolicy.Halve("too_large"));
		assertThat(this.policy.after(tooLarge, 1, 0))
			.isEqualTo(new DeliveryPolicy.DeadLetter("too_large", 413, "too large"));
	}

	@Test
	void aRefusedProjectTokenPausesDeliveryWithoutDroppingAnything() {
		assertThat(this.policy.after(new SendResult.Unauthorized(401), 1000, 0))
			.isEqualTo(new DeliveryPolicy.Pause(401));
		assertThat(this.policy.after(new SendResult.Unauthorized(403), 1, 7)).isEqualTo(new DeliveryPolicy.Pause(403));
	}

}
