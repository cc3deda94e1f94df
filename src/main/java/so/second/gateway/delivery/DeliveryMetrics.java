package so.second.gateway.delivery;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Delivery's counters and timers. In Prometheus they read
 * {@code analytics_events_forwarded_total},
 * {@code analytics_delivery_posthog_request_seconds} and so on; {@code docs/delivery.md}
 * lists them all. The backlog gauges live in {@link BacklogMonitor}, the state gauge in
 * {@link DeliveryStatus}.
 */
final class DeliveryMetrics {

	private final MeterRegistry registry;

	private final Counter forwarded;

	private final Counter retried;

	private final Counter appends;

	private final Timer commits;

	private final DistributionSummary eventsPerCommit;

	DeliveryMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.forwarded = Counter.builder("analytics.events.forwarded")
			.description("Events PostHog accepted (2xx)")
			.register(registry);
		this.retried = Counter.builder("analytics.events.retried")
			.description("Events put back in the backlog for a later attempt after a failed send")
			.register(registry);
		this.appends = Counter.builder("analytics.delivery.backlog.appends")
			.description("Calls that stored events in the backlog (one per capture request)")
			.register(registry);
		this.commits = Timer.builder("analytics.delivery.backlog.commits")
			.description("Group commits of appended events: count and duration")
			.register(registry);
		this.eventsPerCommit = DistributionSummary.builder("analytics.delivery.backlog.commit.events")
			.description("Events stored by one group commit")
			.register(registry);
	}

	void forwarded(int events) {
		this.forwarded.increment(events);
	}

	void retried(int events) {
		this.retried.increment(events);
	}

	/**
	 * Events of a failed send attempt, by reason (server_error, rate_limited, network,
	 * …).
	 */
	void failed(String reason, int events) {
		Counter.builder("analytics.events.failed")
			.description("Events in send attempts that failed, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(events);
	}

	void deadLettered(String reason, int events) {
		Counter.builder("analytics.events.dead.lettered")
			.description("Events set aside in the dead-letter table, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(events);
	}

	/** One request to PostHog: its outcome and round-trip time. */
	void batch(String status, int events, Duration roundTrip) {
		Counter.builder("analytics.delivery.batches")
			.description("Requests sent to PostHog's batch API, by HTTP status (or io_error)")
			.tag("status", status)
			.register(this.registry)
			.increment();
		Timer.builder("analytics.delivery.posthog.request")
			.description("Round-trip time of requests to PostHog, by HTTP status (or io_error)")
			.tag("status", status)
			.register(this.registry)
			.record(roundTrip);
	}

	void committed(int appendsInCommit, int events, Duration took) {
		this.appends.increment(appendsInCommit);
		this.commits.record(took);
		this.eventsPerCommit.record(events);
	}

	/** An append refused: {@code full}, {@code unavailable} or {@code stopping}. */
	void appendRefused(String reason) {
		Counter.builder("analytics.delivery.backlog.refused")
			.description("Appends refused with 503, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

}
