package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it leaves toward PostHog's capture API; delivery adds {@code api_key} when
 * it sends it.
 *
 * @param uuid fixed at acceptance, the same on every resend so PostHog can de-duplicate
 * @param event the event name
 * @param distinctId the anonymous id while anonymized, the user id otherwise
 * @param timestamp when the event happened, as accepted
 * @param properties every other field; keeps insertion order and permits {@code null}
 * values (the release properties are JSON {@code null} where unset)
 */
public record OutgoingEvent(UUID uuid, String event, String distinctId, Instant timestamp,
		Map<String, Object> properties) {

	public OutgoingEvent {
		Objects.requireNonNull(uuid, "uuid");
		Objects.requireNonNull(event, "event");
		Objects.requireNonNull(distinctId, "distinctId");
		Objects.requireNonNull(timestamp, "timestamp");
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(properties, "properties")));
	}

}
