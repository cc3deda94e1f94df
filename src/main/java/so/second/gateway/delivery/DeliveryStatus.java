package so.second.gateway.delivery;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The delivery state of this instance and how it got there, for the workers' decisions,
 * the health indicator and the {@code analytics.delivery.state} gauge (one time series
 * per state, 1 for the current one).
 */
final class DeliveryStatus {

	private final Clock clock;

	private DeliveryState state;

	private Instant since;

	private int consecutiveFailures;

	private String lastFailure;

	/**
	 * @param initial {@link DeliveryState#HEALTHY} when delivery is wired,
	 * {@link DeliveryState#DISABLED} when analytics are off
	 */
	DeliveryStatus(MeterRegistry registry, DeliveryState initial) {
		this.state = initial;
		this.clock = Clock.systemUTC();
		this.since = clock.instant();
		for (DeliveryState each : DeliveryState.values()) {
			Gauge.builder("analytics.delivery.state", this, (status) -> (status.state() == each) ? 1 : 0)
				.description("1 for the delivery state this instance is in: healthy, retrying, paused or disabled")
				.tag("state", each.label())
				.register(registry);
		}
	}

	synchronized DeliveryState state() {
		return this.state;
	}

	synchronized Snapshot snapshot() {
		return new Snapshot(this.state, this.since, this.consecutiveFailures, this.lastFailure);
	}

	/**
	 * PostHog took a batch.
	 * @return the state before, so the caller can say when delivery recovered
	 */
	synchronized DeliveryState delivered() {
		DeliveryState before = this.state;
		this.consecutiveFailures = 0;
		moveTo(DeliveryState.HEALTHY);
		return before;
	}

	/**
	 * A send failed with something worth retrying.
	 * @return the number of failures in a row, this one included, for the back-off
	 */
	synchronized int failed(String reason) {
		this.consecutiveFailures++;
		this.lastFailure = reason;
		if (this.state != DeliveryState.PAUSED) {
			moveTo(DeliveryState.RETRYING);
		}
		return this.consecutiveFailures;
	}

	/**
	 * PostHog refused the token.
	 * @return {@code true} when this pauses delivery, {@code false} when it was paused
	 * already
	 */
	synchronized boolean paused(String reason) {
		this.lastFailure = reason;
		if (this.state == DeliveryState.PAUSED) {
			return false;
		}
		moveTo(DeliveryState.PAUSED);
		return true;
	}

	private void moveTo(DeliveryState next) {
		if (this.state != next) {
			this.state = next;
			this.since = this.clock.instant();
		}
	}

	/**
	 * @param state the state
	 * @param since when this instance entered it
	 * @param consecutiveFailures failed sends in a row
	 * @param lastFailure the reason of the last failure, {@code null} if none yet
	 */
	record Snapshot(DeliveryState state, Instant since, int consecutiveFailures, String lastFailure) {
	}

}
