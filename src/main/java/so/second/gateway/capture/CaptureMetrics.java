package so.second.gateway.capture;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import so.second.gateway.pipeline.EventOutcome;

/**
 * What capture counts: events received, accepted and rejected by reason, requests refused
 * whole, the undeclared property keys the tracking plan dropped, and the string values
 * its vocabularies do not list (sent as "other"), both by event and key, so the product
 * team sees what to declare. Never by value: the value may be the very identifier.
 */
final class CaptureMetrics {

	/**
	 * Past this many distinct event and key pairs, further keys count as {@code _other}.
	 */
	static final int MAX_UNDECLARED_SERIES = 1000;

	private static final String OTHER_KEY = "_other";

	private final MeterRegistry registry;

	private final Counter received;

	private final Counter accepted;

	private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

	private final Map<EventOutcome.Fault, Counter> refusedByPipeline = new EnumMap<>(EventOutcome.Fault.class);

	// Counters are looked up here rather than in the registry on every event: this runs
	// on the capture path. Keys are chosen by browsers, so the map is bounded.
	private final Map<String, Counter> undeclared = new ConcurrentHashMap<>();

	// Keyed like the undeclared map. Its keys are the
	// plan's declared ones, so the plan bounds it.
	private final Map<String, Counter> unlisted = new ConcurrentHashMap<>();

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
			this.rejected.put(reason, rejectedCounter(registry, reason));
		}
		for (EventOutcome.Fault fault : EventOutcome.Fault.values()) {
			this.refusedByPipeline.put(fault, rejectedCounter(registry, fault));
		}
	}

	private static Counter rejectedCounter(MeterRegistry registry, Enum<?> reason) {
		return Counter.builder("analytics.events.rejected")
			.description("Events refused, by reason")
			.tag("reason", RejectionReason.tag(reason))
			.register(registry);
	}

	void received(int events) {
		this.received.increment(events);
	}

	void accepted(int events) {
		this.accepted.increment(events);
	}

	void rejected(RejectionReason reason, int events) {
		this.rejected.get(reason).increment(events);
	}

	void rejected(EventOutcome.Fault fault) {
		this.refusedByPipeline.get(fault).increment();
	}

	void undeclaredKeyDropped(String event, String key) {
		Counter counter = this.undeclared.get(event + '\u0000' + key);
		if (counter == null) {
			String tagged = (this.undeclared.size() < MAX_UNDECLARED_SERIES) ? key : OTHER_KEY;
			counter = this.undeclared.computeIfAbsent(event + '\u0000' + tagged,
					series -> undeclaredCounter(event, tagged));
		}
		counter.increment();
	}

	void unlistedValueReplaced(String event, String key) {
		this.unlisted.computeIfAbsent(event + '\u0000' + key, series -> Counter
			.builder("analytics.events.unlisted.values")
			.description("String values sent as \"other\" in anonymized mode because the tracking plan's vocabulary "
					+ "does not list them")
			.tag("event", event)
			.tag("key", key)
			.register(this.registry)).increment();
	}

	private Counter undeclaredCounter(String event, String key) {
		return Counter.builder("analytics.events.undeclared.properties")
			.description("Properties dropped in anonymized mode because the tracking plan does not declare them")
			.tag("event", event)
			.tag("key", key)
			.register(this.registry);
	}

}
