package so.second.gateway.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Turns one browser event into the event PostHog receives, or into a rejection. The
 * stages run in the order {@link #process(Map, RequestContext)} shows, and none of them
 * does I/O; an instance is safe to share between threads (all it remembers is each user's
 * identifiers, worked out once).
 */
public final class CapturePipeline {

	/** The {@code $lib} of every event the gateway sends. */
	static final String LIB = "second-analytics-gateway";

	private final EventAllowlist allowlist;

	private final PropertyPolicy policy;

	private final ReleaseMetadata release;

	private final String libVersion;

	// Working out a user's identifiers (Unicode normalisation, look-alike folding, the
	// name's parts) cost more than the rest of a one-event request's pipeline; they
	// depend only on the three facts of the key, so they are worked out once per user.
	// About 1 KB each; a miss costs microseconds, so it holds the users active right now.
	private final Cache<IdentityKey, UserIdentity> identities = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	/**
	 * Creates a pipeline.
	 * @param plan the validated tracking plan
	 * @param release the deployment's release metadata; {@code null} counts as all unset
	 * @param libVersion sent as {@code $lib_version}
	 */
	public CapturePipeline(TrackingPlan plan, ReleaseMetadata release, String libVersion) {
		Objects.requireNonNull(plan, "plan");
		this.allowlist = new EventAllowlist(plan.eventNames());
		this.policy = new PropertyPolicy(plan);
		this.release = (release != null) ? release : ReleaseMetadata.none();
		this.libVersion = Objects.requireNonNull(libVersion, "libVersion");
	}

	/**
	 * Runs one event through the pipeline. Never throws for any event tree.
	 * @param rawEvent one JSON object of the request converted to plain Java:
	 * {@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean},
	 * {@code null}
	 * @param context the facts of the request the event came in
	 * @return the outgoing event, or the reason it was rejected
	 */
	public EventOutcome process(Map<String, Object> rawEvent, RequestContext context) {
		return forRequest(context).process(rawEvent);
	}

	/**
	 * The pipeline for the events of one request: what the request's facts decide (the
	 * user's own identifiers, in the form the value rules compare) is worked out once,
	 * not once per event of a batch.
	 * @param context the facts of the request
	 * @return the pipeline for that request's events
	 */
	public Request forRequest(RequestContext context) {
		Objects.requireNonNull(context, "context");
		return new Request(context, context.anonymized() ? identity(context) : null);
	}

	private UserIdentity identity(RequestContext context) {
		return this.identities.get(new IdentityKey(context.userId(), context.email(), context.name()),
				(key) -> UserIdentity.of(key.userId(), key.email(), key.name()));
	}

	private record IdentityKey(String userId, String email, String name) {
	}

	/** The pipeline bound to one request's facts; see {@link #forRequest}. */
	public final class Request {

		private final RequestContext context;

		private final UserIdentity user;

		private Request(RequestContext context, UserIdentity user) {
			this.context = context;
			this.user = user;
		}

		/**
		 * Runs one event of the request through the pipeline. Never throws for any event
		 * tree.
		 * @param rawEvent one JSON object of the request converted to plain Java
		 * @return the outgoing event, or the reason it was rejected
		 */
		public EventOutcome process(Map<String, Object> rawEvent) {
			Admission admission = CapturePipeline.this.allowlist.admit(rawEvent, this.context, this.user);
			if (admission instanceof EventOutcome.Rejected rejected) {
				return rejected;
			}
			Admission.Admitted event = (Admission.Admitted) admission;
			Map<String, Object> properties = Sanitizer.sanitize(event.properties());
			RouteShapeStage.apply(properties);
			PropertyPolicy.Result policed = CapturePipeline.this.policy.apply(event.name(), properties, this.context,
					this.user);
			Map<String, Object> outgoing = PageContext.apply(policed.properties());
			ReleaseStage.addTo(outgoing, CapturePipeline.this.release);
			addLibraryAndMode(outgoing, this.context);
			return new EventOutcome.Accepted(
					new OutgoingEvent(event.uuid(), event.name(), event.distinctId(), event.timestamp(), outgoing),
					event.clientSuppliedUuid(), policed.droppedUndeclaredKeys(), policed.unlistedValueKeys());
		}

	}

	/**
	 * The {@code $identify} event sent when a user becomes non-anonymized, or logs in
	 * while non-anonymized. It sets the person's {@code email} and {@code name} (those
	 * that are known) and never carries {@code $anon_distinct_id}: anonymous history is
	 * never linked.
	 * @param userId the user id, also the distinct id
	 * @param email the user's email, or {@code null}
	 * @param name the user's name, or {@code null}
	 * @param now when it happened
	 * @return the event to hand to delivery
	 */
	public OutgoingEvent identify(String userId, String email, String name, Instant now) {
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(now, "now");
		Map<String, Object> set = new LinkedHashMap<>();
		if (email != null) {
			set.put("email", email);
		}
		if (name != null) {
			set.put("name", name);
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("$set", Collections.unmodifiableMap(set));
		ReleaseStage.addTo(properties, this.release);
		properties.put("$lib", LIB);
		properties.put("$lib_version", this.libVersion);
		return new OutgoingEvent(UUID.randomUUID(), "$identify", userId, now, properties);
	}

	/** Stage 7: the library and the mode's PostHog flags. */
	private void addLibraryAndMode(Map<String, Object> properties, RequestContext context) {
		properties.put("$lib", LIB);
		properties.put("$lib_version", this.libVersion);
		if (context.anonymized()) {
			properties.put("$process_person_profile", false);
			properties.put("$geoip_disable", true);
		}
		else if (context.clientIp() != null) {
			properties.put("$ip", context.clientIp());
		}
	}

}
