package so.second.gateway.capture;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What capture counts: events received, accepted and rejected by reason, requests refused
 * whole, and the undeclared property keys the tracking plan dropped, by event and key, so
 * the product team sees what to declare.
 */
final class CaptureMetrics {

	/**
	 * Past this many distinct event and key pairs, further keys count as {@code _other}.
	 */
	static final int MAX_UNDECLARED_SERIES = 1000;

	private final MeterRegistry registry;

	private final Counter received;

	private final Counter accepted;

	private final Set<String> undeclaredSeries = ConcurrentHashMap.newKeySet();

	CaptureMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.received = Counter.builder("analytics.events.received")
			.description("Events that reached the capture endpoint from a signed-in, onboarded user")
			.register(registry);
		this.accepted = Counter.builder("analytics.events.accepted")
			.description("Events durably accepted for delivery (answered 202)")
			.register(registry);
		// Registered up front so operators see the series before the first rejection.
		for (RejectionReason reason : RejectionReason.values()) {
			rejectedCounter(reason.tag());
		}
	}

	void received(int events) {
		this.received.increment(events);
	}

	void accepted(int events) {
		this.accepted.increment(events);
	}

	void rejected(String reasonTag, int events) {
		rejectedCounter(reasonTag).increment(events);
	}

	void undeclaredKeyDropped(String event, String key) {
		String series = event + '\u0000' + key;
		boolean known = this.undeclaredSeries.contains(series)
				|| (this.undeclaredSeries.size() < MAX_UNDECLARED_SERIES && this.undeclaredSeries.add(series));
		Counter.builder("analytics.events.undeclared.properties")
			.description("Properties dropped in anonymized mode because the tracking plan does not declare them")
			.tag("event", event)
			.tag("key", known ? key : "_other")
			.register(this.registry)
			.increment();
	}

	private Counter rejectedCounter(String reason) {
		return Counter.builder("analytics.events.rejected")
			.description("Events refused, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

}
