package so.second.gateway.delivery;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code delivery} health component: the state (healthy, retrying, paused, disabled)
 * and the backlog in its details. It is always UP: a PostHog outage or a refused token is
 * something for an operator to see and fix, not a reason to restart the gateway
 * (liveness) or to stop sending it traffic (readiness) — events are kept in the backlog
 * meanwhile, and the backlog's bound answers 503 on its own when it fills. It is in
 * neither probe group.
 */
final class DeliveryHealthIndicator implements HealthIndicator {

	private final DeliveryStatus status;

	private final BacklogMonitor monitor;

	private final boolean draining;

	DeliveryHealthIndicator(DeliveryStatus status, BacklogMonitor monitor, boolean draining) {
		this.status = status;
		this.monitor = monitor;
		this.draining = draining;
	}

	@Override
	public Health health() {
		DeliveryStatus.Snapshot snapshot = this.status.snapshot();
		Health.Builder health = Health.up()
			.withDetail("state", snapshot.state().label())
			.withDetail("since", snapshot.since().toString())
			// an instance that does not drain stays "healthy": it never
			// sends, so never fails
			.withDetail("draining", this.draining)
			.withDetail("backlog", this.monitor.depth())
			.withDetail("oldestAgeSeconds", this.monitor.oldestAge().toSeconds())
			.withDetail("deadLetters", this.monitor.deadLetters());
		if (snapshot.state() == DeliveryState.RETRYING || snapshot.state() == DeliveryState.PAUSED) {
			health.withDetail("failuresInARow", snapshot.consecutiveFailures())
				.withDetail("lastFailure", snapshot.lastFailure());
		}
		return health.build();
	}

}
